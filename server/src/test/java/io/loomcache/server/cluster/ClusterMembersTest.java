package io.loomcache.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.loomcache.server.config.NodeIdentity;

class ClusterMembersTest {
    @Test
    void shouldNameMembersByTheirHostsFirstLabelAsAStatefulSetListsThem() {
        final ClusterMembers members = ClusterMembers.parse(
            "loomcache-0.loomcache-headless:7654, loomcache-1.loomcache-headless:7654," +
                "loomcache-2.loomcache-headless:7654",
            "loomcache-1");
        assertEquals(3, members.size());
        assertEquals("loomcache-1", members.self().name());
        assertEquals(1, members.selfIndex());
        assertEquals(NodeIdentity.compactId("loomcache-1"), members.self().id());
        assertEquals("loomcache-2.loomcache-headless:7654", members.members().get(2).address());
    }

    @Test
    void shouldTakeExplicitNamesAndSpreadPreferredLeadersRoundTheList() {
        final ClusterMembers members = ClusterMembers.parse("a@127.0.0.11:7654,b@127.0.0.12:7654,c@127.0.0.13:7654",
            "c");
        assertEquals("127.0.0.13:7654", members.self().address());
        assertEquals(members.members().get(0).id(), members.preferredLeader(0));
        assertEquals(members.members().get(1).id(), members.preferredLeader(4));
        assertEquals(members.members().get(2).id(), members.preferredLeader(5));
        assertEquals(members.members().get(1), members.byId(members.members().get(1).id()));
        // an IPv6 member: connected to by its bare address, redirected to in brackets
        final ClusterMembers v6 = ClusterMembers.parse("a@[::1]:7654", "a");
        assertEquals("::1", v6.self().host());
        assertEquals("[::1]:7654", v6.self().address());
        assertEquals(v6.self().address().length(), v6.self().addressBytes().capacity());
    }

    @Test
    void shouldRefuseListsThatCannotFormACluster() {
        assertMessage("not among the members", () -> ClusterMembers.parse("a@h:1,b@h:2", "c"));
        assertMessage("listed twice", () -> ClusterMembers.parse("a@h:1,a@h:2", "a"));
        assertMessage("has no name", () -> ClusterMembers.parse("127.0.0.1:7654", "a"));
        assertMessage("not [name@]host:port", () -> ClusterMembers.parse("a@h", "a"));
        assertMessage("port 70000", () -> ClusterMembers.parse("a@h:70000", "a"));
        assertMessage("no members", () -> ClusterMembers.parse(" , ", "a"));
        assertMessage("not a node name", () -> ClusterMembers.parse("-x@h:1", "a"));
    }

    @Test
    void shouldRefuseTwoNamesThatMapToOneId() {
        // find two names whose FNV-1a ids collide (30-bit ids: a birthday search over generated names)
        final Map<Integer, String> seen = new HashMap<>();
        final List<String> pair = new ArrayList<>();
        for (int i = 0; pair.isEmpty(); i++) {
            final String name = "node-" + i;
            final String other = seen.putIfAbsent(NodeIdentity.compactId(name), name);
            if (other != null) {
                pair.add(other);
                pair.add(name);
            }
        }
        assertMessage("map to the same node id", () -> ClusterMembers.parse(
            pair.get(0) + "@h:1," + pair.get(1) + "@h:2", pair.get(0)));
    }

    private static void assertMessage(final String part, final org.junit.jupiter.api.function.Executable call) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}
