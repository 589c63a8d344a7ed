package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.client.ClientContext;
import io.loomcache.client.LoomClient;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;
import io.loomcache.testkit.TmpfsMount;

/**
 * Three node JVMs form a cluster on loopback (real sockets, real files): writes are replicated and acknowledged by
 * a quorum, a kill -9 of a leader fails its groups over and loses no acknowledged write, the killed node catches up
 * and gets its preferred groups back, and a wiped node is rebuilt from its peers' snapshots.
 */
class ClusterProcessTest {
    private static final Pattern LEADER_OF_GROUP_0 = Pattern.compile("\"group\":0,\"role\":\"LEADER\"");

    @TempDir
    Path workDir;

    @Test
    void shouldKeepEveryAcknowledgedWriteThroughTheKillOfALeaderAndGiveItsGroupsBackWhenItReturns() throws Exception {
        try (ClusterProcesses cluster = new ClusterProcesses(workDir, 3).startAll()) {
            cluster.awaitReady();
            final Map<String, String> acknowledged = new LinkedHashMap<>();
            writeKeys(cluster, acknowledged, "a", 200);
            // group 0's preferred leader is the first member: wait until the balancing gave it the group (a kill of
            // a member that only stood in for it would rightly not get the group back)
            Await.until("member 0 to lead group 0", 30_000, () -> leaderOfGroup0(cluster) == 0);
            final int leader = 0;
            cluster.kill(leader);
            // writes go on: every partition of the killed node's groups fails over to a new leader
            writeKeys(cluster, acknowledged, "b", 200);
            assertAllPresent(cluster, acknowledged);
            // a client that learnt group 0's stand-in leader from the partition table
            final byte[] key = keyOfGroup0();
            try (LoomClient client = LoomClient.connect(new ClientContext().nodes("127.0.0.1:" + cluster.port(1) +
                ",127.0.0.1:" + cluster.port(2)))) {
                client.put(key, "before".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
                assertEquals(0, client.redirectsFollowed(), "the table named the leader");
                cluster.start(leader);
                cluster.awaitReady();
                // the returning node is its groups' preferred leader: leadership comes back once it has caught up
                Await.until("the restarted node to lead group 0 again", 60_000,
                    () -> leaderOfGroup0(cluster) == leader);
                // after the leader change the client follows one redirect, then goes to the new leader directly
                client.put(key, "after".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
                client.put(key, "again".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
                assertEquals(1, client.redirectsFollowed(), "one redirect after the leader change");
            }
            writeKeys(cluster, acknowledged, "c", 100);
            assertAllPresent(cluster, acknowledged);
            // a graceful stop hands the groups over first: another member leads group 0 before the node exits
            final int stopped = leaderOfGroup0(cluster);
            assertEquals(0, cluster.terminate(stopped));
            assertTrue(cluster.output(stopped).contains("shutdown 0/5: leads no Raft group"),
                cluster.output(stopped));
            // it stepped down because the member it handed the group to won its election (published within 50 ms)
            Await.until("another member to lead group 0", 5_000, () -> leaderOfGroup0Among(cluster, stopped) >= 0);
            writeKeys(cluster, acknowledged, "d", 50);
            assertAllPresent(cluster, acknowledged);
        }
    }

    /** A key of a partition of group 0 (6 groups over 271 partitions, the defaults). */
    private static byte[] keyOfGroup0() {
        for (int i = 0; ; i++) {
            final byte[] key = ("group-0-" + i).getBytes(StandardCharsets.UTF_8);
            if (io.loomcache.server.executor.PartitionRouter.partition(new org.agrona.concurrent.UnsafeBuffer(key), 0,
                key.length, 271) % 6 == 0) {
                return key;
            }
        }
    }

    private static int leaderOfGroup0Among(final ClusterProcesses cluster, final int excluded) {
        for (int i = 0; i < cluster.size(); i++) {
            if (i != excluded) {
                final String page = cluster.clusterPage(i);
                if (page != null && LEADER_OF_GROUP_0.matcher(page).find()) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Test
    void shouldRebuildAWipedMemberFromItsPeersThroughInstallSnapshot() throws Exception {
        // a partition count and group count other than the defaults, which clients learn from the members
        try (ClusterProcesses cluster = new ClusterProcesses(workDir, 3, "--raft-snapshot-every", "50",
            "--partitions", "17", "--raft-groups", "4").startAll()) {
            cluster.awaitReady();
            final Map<String, String> acknowledged = new LinkedHashMap<>();
            writeKeys(cluster, acknowledged, "k", 600);
            cluster.kill(2);
            cluster.wipe(2);
            writeKeys(cluster, acknowledged, "m", 100);
            cluster.start(2);
            cluster.awaitReady();
            // the wiped member holds every entry again (snapshots sent by the leaders, then the log's tail)
            try {
                Await.until("the wiped member to hold all " + acknowledged.size() + " entries", 60_000,
                    () -> entries(cluster.metrics(2)) == acknowledged.size());
            } catch (final AssertionError ex) {
                throw new AssertionError(ex.getMessage() + "; it holds " + entries(cluster.metrics(2)) + "\n" +
                    cluster.clusterPage(0) + "\n" + cluster.clusterPage(2) + "\n" + cluster.output(2), ex);
            }
            assertAllPresent(cluster, acknowledged);
            // MAP_SIZE counts what a member applied (every member holds every group): all of it once caught up
            for (int member = 0; member < 3; member++) {
                try (RawClient client = new RawClient(cluster.port(member))) {
                    Await.until("MAP_SIZE " + acknowledged.size() + " on member", 30_000, () -> client.call(
                        client.frame(Opcodes.MAP_SIZE, 7, 0, null, null, null)).number() == acknowledged.size());
                    final RawClient.Response clear = client.call(client.frame(Opcodes.MAP_CLEAR, 8, 0, null, null,
                        null));
                    assertEquals(ErrorCode.UNSUPPORTED_OPERATION, clear.errorCode());
                    assertTrue(clear.text().contains("not served by a cluster"), clear.text());
                }
            }
            // the Java client clears a cluster group by group, each through its log: every member ends empty
            try (LoomClient client = LoomClient.connect(new ClientContext().nodes("127.0.0.1:" + cluster.port(1)))) {
                assertEquals(17, client.serverInfo().partitionCount());
                assertEquals(4, client.partitionTable().get(20, TimeUnit.SECONDS).groupCount());
                client.clear().get(20, TimeUnit.SECONDS);
                assertNull(client.get("k-1".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS));
            }
            for (int member = 0; member < 3; member++) {
                try (RawClient client = new RawClient(cluster.port(member))) {
                    Await.until("MAP_SIZE 0 on a member after the clear", 30_000, () -> client.call(
                        client.frame(Opcodes.MAP_SIZE, 9, 0, null, null, null)).number() == 0);
                }
            }
        }
    }

    @Test
    void shouldGoOnAcknowledgingWhenOneMembersDiskIsFull() throws Exception {
        final Path full = workDir.resolve("node-2");
        java.nio.file.Files.createDirectories(full);
        try (TmpfsMount tmpfs = TmpfsMount.mount(full, "5m");
             ClusterProcesses cluster = new ClusterProcesses(workDir, 3).startAll()) {
            assertEquals("tmpfs", java.nio.file.Files.getFileStore(tmpfs.path()).type());
            cluster.awaitReady();
            // 4 KiB values: node 2's 5 MiB fill up after a few hundred (its two executors' logs take 2 MiB at start)
            final Map<String, String> acknowledged = new LinkedHashMap<>();
            writeKeys(cluster, acknowledged, "full", 1_500, "v".repeat(4096));
            // node 2 stopped taking part (its groups failed on the full disk) and says so; the others went on
            Await.until("node 2 to report failed groups", 30_000, () -> {
                final String page = cluster.clusterPage(2);
                return page != null && page.contains("\"role\":\"FAILED\"");
            });
            assertEquals(503, cluster.healthStatus(2));
            assertEquals(200, cluster.healthStatus(0));
            assertAllPresent(cluster, acknowledged);
        }
    }

    @Test
    void shouldRefuseAPeerLinkFromAnUnknownMemberAndOnASingleNode() throws Exception {
        try (ClusterProcesses cluster = new ClusterProcesses(workDir, 3).startAll()) {
            cluster.awaitReady();
            try (RawClient client = new RawClient(cluster.port(0))) {
                final RawClient.Response refused = client.call(peerHello(12345, 0));
                assertEquals(ErrorCode.PERMISSION_DENIED, refused.errorCode());
                assertTrue(client.awaitClosedByServer());
            }
            try (RawClient client = new RawClient(cluster.port(0))) {
                // a real member's id with other cluster settings (another member list or group count)
                final RawClient.Response refused = client.call(peerHello(
                    io.loomcache.server.config.NodeIdentity.compactId(ClusterProcesses.name(1)), 42));
                assertEquals(ErrorCode.PERMISSION_DENIED, refused.errorCode());
                assertTrue(client.awaitClosedByServer());
            }
            assertTrue(cluster.output(0).contains("cluster settings differ"), cluster.output(0));
            // the partition table: every member's address, every group's leader and term
            try (RawClient client = new RawClient(cluster.port(1))) {
                final RawClient.Response answer = client.call(RawClient.header(0, 1, 0, Opcodes.PARTITION_TABLE, 3));
                assertEquals(Opcodes.RESPONSE_VALUE, answer.opcode(), answer.toString());
                final io.loomcache.protocol.PartitionTableCodec.Table table = io.loomcache.protocol.PartitionTableCodec
                    .decode(new org.agrona.concurrent.UnsafeBuffer(answer.value()), 0, answer.value().length);
                assertEquals(271, table.partitionCount());
                assertEquals(6, table.groupCount());
                assertEquals(3, table.memberIds().length);
                for (int g = 0; g < 6; g++) {
                    assertTrue(table.addressOf(table.leaderIds()[g]) != null, "group " + g + " has a leader");
                    assertTrue(table.terms()[g] >= 1);
                }
                assertEquals("127.0.0.1:" + cluster.port(0), table.addressOf(
                    io.loomcache.server.config.NodeIdentity.compactId(ClusterProcesses.name(0))));
            }
            try (RawClient client = new RawClient(cluster.port(0))) {
                // a client connection cannot send Raft frames
                final byte[] vote = RawClient.header(64, 1, 0, Opcodes.VOTE_REQUEST, 9);
                final byte[] frame = java.util.Arrays.copyOf(vote, vote.length + 64);
                assertEquals(ErrorCode.PERMISSION_DENIED, client.call(frame).errorCode());
            }
        }
        java.nio.file.Files.createDirectories(workDir.resolve("single"));
        try (NodeProcess single = NodeProcess.start(workDir.resolve("single"));
             RawClient client = new RawClient(single.port())) {
            assertEquals(ErrorCode.UNSUPPORTED_OPERATION,
                client.call(RawClient.header(0, 1, 0, Opcodes.PARTITION_TABLE, 4)).errorCode());
            // a single node clears with MAP_CLEAR; the per-group clear is a cluster's
            assertEquals(ErrorCode.UNSUPPORTED_OPERATION, client.call(client.frame(Opcodes.MAP_CLEAR_GROUP, 5, 0,
                "k".getBytes(StandardCharsets.UTF_8), null, null)).errorCode());
            assertEquals(ErrorCode.PERMISSION_DENIED, client.call(peerHello(1, 0)).errorCode());
        }
    }

    private static byte[] peerHello(final int memberId, final long fingerprint) {
        final byte[] header = RawClient.header(Integer.BYTES + Long.BYTES, 1, 0, Opcodes.PEER_HELLO, 7);
        final byte[] frame = java.util.Arrays.copyOf(header, header.length + Integer.BYTES + Long.BYTES);
        final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(frame);
        view.putInt(header.length, memberId, io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER);
        view.putLong(header.length + Integer.BYTES, fingerprint,
            io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER);
        return frame;
    }

    private static void writeKeys(final ClusterProcesses cluster, final Map<String, String> acknowledged,
        final String prefix, final int count) throws Exception {
        writeKeys(cluster, acknowledged, prefix, count, null);
    }

    /** Writes keys prefix-0.. one at a time; a write with an unknown outcome is written again. */
    private static void writeKeys(final ClusterProcesses cluster, final Map<String, String> acknowledged,
        final String prefix, final int count, final String fixedValue) throws Exception {
        for (int i = 0; i < count; i++) {
            final String key = prefix + "-" + i;
            final String value = fixedValue != null ? fixedValue : "value-" + key;
            final RawClient.Response response = cluster.call(Opcodes.MAP_PUT, i, key, value, 20_000);
            if (response.opcode() == Opcodes.RESPONSE_OK) {
                acknowledged.put(key, value);
            } else {
                // an unknown outcome (the leader died with the write in flight) is allowed, nothing else
                assertEquals(ErrorCode.OUTCOME_UNKNOWN, response.errorCode(), key + ": " + response);
                i--;
            }
        }
    }

    private static void assertAllPresent(final ClusterProcesses cluster, final Map<String, String> acknowledged)
        throws Exception {
        for (final Map.Entry<String, String> entry : acknowledged.entrySet()) {
            final RawClient.Response response = cluster.call(Opcodes.MAP_GET, 1, entry.getKey(), null, 20_000);
            assertEquals(Opcodes.RESPONSE_VALUE, response.opcode(), entry.getKey() + ": " + response);
            assertEquals(entry.getValue(), response.valueAsString(), entry.getKey());
        }
    }

    private static int leaderOfGroup0(final ClusterProcesses cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.running(i)) {
                final String page = cluster.clusterPage(i);
                if (page != null && LEADER_OF_GROUP_0.matcher(page).find()) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static long entries(final String metrics) {
        assertNotNull(metrics);
        final Matcher matcher = Pattern.compile("(?m)^loomcache_cache_entries(?:\\{[^}]*\\})? ([0-9.E]+)")
            .matcher(metrics);
        return matcher.find() ? (long)Double.parseDouble(matcher.group(1)) : -1;
    }
}
