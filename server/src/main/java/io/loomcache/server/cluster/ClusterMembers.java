package io.loomcache.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.HostPort;
import io.loomcache.protocol.ResponseDescriptor;
import io.loomcache.server.config.NodeIdentity;

/**
 * The members of a cluster as {@code LOOMCACHE_NODES} lists them: {@code name@host:port} entries (the client port,
 * which is also the peer port), or {@code host:port} where the name is the host's first DNS label (the StatefulSet
 * form {@code loomcache-0.loomcache-headless:7654} names {@code loomcache-0}). Every member's id is the compact id of
 * its name ({@link NodeIdentity#compactId}); two members with one name or one id are refused, and so is a list that
 * does not name this node. Immutable but for the members' Redis ports, which each member announces when it links
 * to the others ({@link #respPort(int, int)}); thread-safe.
 */
public final class ClusterMembers {
    /** {@link #respPort(int)} of a member whose Redis port is not known (yet), or that serves none. */
    public static final int NO_RESP_PORT = -1;

    /**
     * One member.
     *
     * @param name its name.
     * @param id its compact id.
     * @param host its host (an IPv6 address without brackets).
     * @param port its client (and peer) port.
     * @param address "host:port" (IPv6 in brackets), what a redirect carries.
     * @param addressBytes the same as ASCII bytes.
     */
    public record Member(String name, int id, String host, int port, String address, UnsafeBuffer addressBytes) {
    }

    private final List<Member> members;
    private final int selfIndex;
    private final Map<Integer, Member> byId = new HashMap<>();
    private final AtomicIntegerArray respPorts;

    private ClusterMembers(final List<Member> members, final int selfIndex) {
        this.members = List.copyOf(members);
        this.selfIndex = selfIndex;
        this.respPorts = new AtomicIntegerArray(members.size());
        for (int i = 0; i < members.size(); i++) {
            respPorts.set(i, NO_RESP_PORT);
        }
        for (final Member member : members) {
            byId.put(member.id(), member);
        }
    }

    /**
     * Parses a member list.
     *
     * @param text {@code name@host:port,...} or {@code host:port,...}.
     * @param selfName this node's name, which must be one of them.
     * @return the members, in list order.
     * @throws IllegalArgumentException naming the entry at fault.
     */
    public static ClusterMembers parse(final String text, final String selfName) {
        final List<Member> members = new ArrayList<>();
        int self = -1;
        for (final String raw : text.split(",")) {
            final String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            final int at = entry.indexOf('@');
            final String address = at < 0 ? entry : entry.substring(at + 1);
            final HostPort hostPort;
            try {
                hostPort = HostPort.parse(address);
            } catch (final IllegalArgumentException ex) {
                throw new IllegalArgumentException("member '" + entry + "' " + (address.indexOf(':') <= 0 ?
                    "is not [name@]host:port" : "has port " + address.substring(address.lastIndexOf(':') + 1)) +
                    ": " + ex.getMessage());
            }
            final String host = hostPort.host();
            final int port = hostPort.port();
            final String name;
            if (at >= 0) {
                name = entry.substring(0, at);
            } else if (isIpLiteral(host)) {
                throw new IllegalArgumentException("member '" + entry + "' has no name: write name@" + entry +
                    " (an IP address names no node)");
            } else {
                final int dot = host.indexOf('.');
                name = dot < 0 ? host : host.substring(0, dot);
            }
            final String checked;
            try {
                checked = NodeIdentity.parseName(name);
            } catch (final IllegalArgumentException ex) {
                throw new IllegalArgumentException("member '" + entry + "': " + ex.getMessage());
            }
            final int id = NodeIdentity.compactId(checked);
            for (final Member other : members) {
                if (other.name().equals(checked)) {
                    throw new IllegalArgumentException("member name '" + checked + "' is listed twice");
                }
                if (other.id() == id) {
                    throw new IllegalArgumentException("members '" + other.name() + "' and '" + checked +
                        "' map to the same node id " + id + "; rename one of them");
                }
            }
            final String formatted = HostPort.format(host, port);
            final byte[] bytes = formatted.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > ResponseDescriptor.MAX_ADDRESS_LENGTH) {
                throw new IllegalArgumentException("member '" + entry + "': address longer than " +
                    ResponseDescriptor.MAX_ADDRESS_LENGTH + " bytes");
            }
            if (checked.equals(selfName)) {
                self = members.size();
            }
            members.add(new Member(checked, id, host, port, formatted, new UnsafeBuffer(bytes)));
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no members listed");
        }
        if (self < 0) {
            final List<String> names = new ArrayList<>();
            for (final Member member : members) {
                names.add(member.name());
            }
            throw new IllegalArgumentException("this node's name '" + selfName + "' (LOOMCACHE_NODE_ID) is not " +
                "among the members " + names);
        }
        if (members.size() > 63) {
            throw new IllegalArgumentException(members.size() + " members: at most 63 voters are supported");
        }
        return new ClusterMembers(members, self);
    }

    private static boolean isIpLiteral(final String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            final char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** @return the members in list order. */
    public List<Member> members() {
        return members;
    }

    /** @return the number of members. */
    public int size() {
        return members.size();
    }

    /** @return this node. */
    public Member self() {
        return members.get(selfIndex);
    }

    /** @return this node's position in the list. */
    public int selfIndex() {
        return selfIndex;
    }

    /**
     * @param id a member id.
     * @return the member, or null when no member has that id.
     */
    public Member byId(final int id) {
        return byId.get(id);
    }

    /** @return every member's id in list order. */
    public int[] ids() {
        final int[] ids = new int[members.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = members.get(i).id();
        }
        return ids;
    }

    /**
     * The member that should lead a group when all are up: groups go round the list, so each of n members leads
     * about 1/n of them.
     *
     * @param group a group id.
     * @return that member's id.
     */
    public int preferredLeader(final int group) {
        return members.get(group % members.size()).id();
    }

    /**
     * Records a member's Redis (RESP) port: this node's own once its transport bound it, another's from its
     * PEER_HELLO. Any thread.
     *
     * @param id the member's id.
     * @param port the port, or {@link #NO_RESP_PORT}.
     */
    public void respPort(final int id, final int port) {
        final int index = members.indexOf(byId.get(id));
        if (index >= 0) {
            respPorts.set(index, port);
        }
    }

    /**
     * A member's Redis (RESP) port as last announced.
     *
     * @param id the member's id.
     * @return the port, or {@link #NO_RESP_PORT} when not known.
     */
    public int respPort(final int id) {
        final int index = members.indexOf(byId.get(id));
        return index < 0 ? NO_RESP_PORT : respPorts.get(index);
    }
}
