package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.KeySlot;
import io.loomcache.testkit.Await;
import io.loomcache.testkit.Prerequisites;

/**
 * The Redis port of a real 3-member cluster (three node JVMs) as Redis Cluster clients see it: CLUSTER SLOTS covers
 * all 16384 slots with the members leading them at their Redis ports, a member answers a key another member leads
 * with {@code -MOVED <slot> <host>:<port>}, keys of different slots in one command get {@code -CROSSSLOT} (hash tags
 * put keys together), and Lettuce's cluster client and {@code redis-cli -c} route every key by themselves.
 */
class RespClusterTest {
    @TempDir
    Path workDir;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void shouldServeRedisClusterClients() throws Exception {
        try (ClusterProcesses cluster = new ClusterProcesses(workDir, 3).startAll()) {
            cluster.awaitReady();
            final Set<Integer> respPorts = respPorts(cluster);
            try (RespTestClient client = new RespTestClient(cluster.respPort(0))) {
                // every slot served, and by every member: the groups were handed to their preferred members (a member
                // that won every first election leads everything until then)
                Await.until("CLUSTER SLOTS to cover every slot with every member", 60_000,
                    () -> coveredSlots(client, respPorts) == KeySlot.SLOTS &&
                        slotOwners(client).size() == cluster.size());
                assertEquals(12182L, client.call("CLUSTER", "KEYSLOT", "foo"));
                assertEquals(40, ((String)client.call("CLUSTER", "MYID")).length());
                assertEquals(3, ((String)client.call("CLUSTER", "NODES")).split("\n").length);
                assertTrue(((String)client.call("CLUSTER", "INFO")).contains("cluster_state:ok"));
                assertEquals(new RespTestClient.Error("CROSSSLOT Keys in request don't hash to the same slot"),
                    client.call("MGET", "a", "b"));
                movedToItsLeader(client, cluster, respPorts);
            }
            publishedOnAnyMember(cluster);

            final RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
                .withPort(cluster.respPort(1)).withTimeout(Duration.ofSeconds(30)).build());
            // as a production client would be: the slot map is read again when a MOVED or a reconnect says it moved
            lettuce.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions
                .enabled()).build());
            try (StatefulRedisClusterConnection<String, String> connection = lettuce.connect()) {
                final RedisAdvancedClusterCommands<String, String> sync = connection.sync();
                final Map<String, String> values = new HashMap<>();
                for (int i = 0; i < 300; i++) {
                    final int n = i;
                    values.put("lettuce-" + i, "v" + i);
                    assertEquals("OK", served(() -> sync.set("lettuce-" + n, "v" + n)));
                }
                for (int i = 0; i < 300; i++) {
                    final int n = i;
                    assertEquals("v" + i, served(() -> sync.get("lettuce-" + n)));
                }
                // Lettuce splits a cross-slot MSET/MGET by slot, each part to its slot's member
                assertEquals("OK", served(() -> sync.mset(values)));
                final List<String> keys = new ArrayList<>(values.keySet());
                for (final KeyValue<String, String> value : served(() -> sync.mget(keys.toArray(String[]::new)))) {
                    assertEquals(values.get(value.getKey()), value.getValue());
                }
                assertEquals("OK", served(() -> sync.mset(Map.of("{user7}.name", "ada", "{user7}.city", "paris"))));
                // Lettuce runs KEYS on every master and merges: each member answers the keys of the groups it leads
                assertEquals(300, served(() -> sync.keys("lettuce-*")).size());
                assertEquals(2L, served(() -> sync.exists("{user7}.name", "{user7}.city")));
            } finally {
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            }

            // a full SCAN of every member: each key of the groups a member leads, every key once over the members
            final Map<String, Integer> scanned = new HashMap<>();
            for (int i = 0; i < cluster.size(); i++) {
                try (RespTestClient member = new RespTestClient(cluster.respPort(i))) {
                    String cursor = "0";
                    do {
                        final List<?> reply = (List<?>)member.call("SCAN", cursor, "MATCH", "lettuce-*", "COUNT",
                            "100");
                        cursor = (String)reply.get(0);
                        for (final Object key : (List<?>)reply.get(1)) {
                            scanned.merge((String)key, 1, Integer::sum);
                        }
                    } while (!cursor.equals("0"));
                }
            }
            assertEquals(300, scanned.size());
            scanned.forEach((key, times) -> assertEquals(1, times, key));

            final Path cli = Prerequisites.requireTool("redis-cli", "apt-get install redis-tools");
            for (int i = 0; i < 30; i++) {
                final String[] set = {cli.toString(), "-c", "-p", Integer.toString(cluster.respPort(2)), "set",
                    "cli-" + i, "c" + i};
                Await.until("redis-cli -c to set cli-" + i, 30_000, () -> servedBy(run(set), "OK\n"));
            }
            for (int i = 0; i < 30; i++) {
                final String[] get = {cli.toString(), "-c", "-p", Integer.toString(cluster.respPort(0)), "get",
                    "cli-" + i};
                final String expected = "c" + i + "\n";
                Await.until("redis-cli -c to get cli-" + i, 30_000, () -> servedBy(run(get), expected));
            }

            // RENAME and MSETNX of one slot through redis-cli -c, which follows MOVED to the slot's member
            final String port = Integer.toString(cluster.respPort(0));
            Await.until("SET", 30_000, () -> servedBy(run(cli.toString(), "-c", "-p", port, "set", "{r}.src", "x"),
                "OK\n"));
            Await.until("RENAME in one slot", 30_000, () -> servedBy(run(cli.toString(), "-c", "-p", port, "rename",
                "{r}.src", "{r}.dst"), "OK\n"));
            Await.until("GET", 30_000, () -> servedBy(run(cli.toString(), "-c", "-p", port, "get", "{r}.dst"),
                "x\n"));
            Await.until("MSETNX in one slot", 30_000, () -> servedBy(run(cli.toString(), "-c", "-p", port, "msetnx",
                "{t}.a", "1", "{t}.b", "2"), "1\n"));

            // FLUSHALL on a member clears the groups it leads, as a Redis Cluster master clears its slots: sent to
            // every member, it clears everything (again should a group change leader between two of them)
            Await.until("FLUSHALL on every member to leave no key", 30_000, () -> {
                int keys = 0;
                for (int i = 0; i < cluster.size(); i++) {
                    try (RespTestClient member = new RespTestClient(cluster.respPort(i))) {
                        final Object reply = member.call("FLUSHALL");
                        assertTrue("OK".equals(reply) || reply instanceof RespTestClient.Error error &&
                            (isTransient(error.text()) || error.text().startsWith("MOVED")), String.valueOf(reply));
                    }
                }
                for (int i = 0; i < cluster.size(); i++) {
                    try (RespTestClient member = new RespTestClient(cluster.respPort(i))) {
                        String cursor = "0";
                        do {
                            final List<?> reply = (List<?>)member.call("SCAN", cursor, "COUNT", "1000");
                            cursor = (String)reply.get(0);
                            keys += ((List<?>)reply.get(1)).size();
                        } while (!cursor.equals("0"));
                    }
                }
                return keys == 0;
            });
        }
    }

    private static Set<Integer> respPorts(final ClusterProcesses cluster) {
        final Set<Integer> respPorts = new HashSet<>();
        for (int i = 0; i < cluster.size(); i++) {
            respPorts.add(cluster.respPort(i));
        }
        return respPorts;
    }

    /**
     * Pub/sub as in Redis Cluster: a message published on any member reaches the subscribers of every member, and
     * PUBLISH counts the subscribers of the member it was sent to.
     */
    private static void publishedOnAnyMember(final ClusterProcesses cluster) throws Exception {
        try (RespTestClient subscriber = new RespTestClient(cluster.respPort(0));
            RespTestClient local = new RespTestClient(cluster.respPort(0));
            RespTestClient remote = new RespTestClient(cluster.respPort(2))) {
            assertEquals(List.of("subscribe", "news", 1L), subscriber.call("SUBSCRIBE", "news"));
            assertEquals(0L, remote.call("PUBLISH", "news", "from member 2"));
            assertEquals(List.of("message", "news", "from member 2"), subscriber.read());
            assertEquals(1L, local.call("PUBLISH", "news", "from member 0"));
            assertEquals(List.of("message", "news", "from member 0"), subscriber.read());
        }
    }

    @Test
    void shouldRefuseClusterCommandsOnASingleNodeAsRedisDoes() throws Exception {
        final LoomCacheNode node = nodes.start(nodes.context("nio").respPort(0));
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            assertEquals(new RespTestClient.Error("ERR This instance has cluster support disabled"),
                client.call("CLUSTER", "SLOTS"));
            assertEquals("OK", client.call("MSET", "a", "1", "b", "2"));
            // a standalone node takes keys of any slots in one command, as a standalone Redis does
            assertEquals(List.of("1", "2"), client.call("MGET", "a", "b"));
        }
    }

    /**
     * Runs a command until it is served: TRYAGAIN (a group's leader is handing leadership over, or busy) and
     * CLUSTERDOWN (no leader yet) are the transient answers a Redis Cluster client retries; a slot missing from
     * the client's map (read during a leader change) is refreshed by its adaptive topology refresh.
     */
    private static <T> T served(final Callable<T> command) throws Exception {
        final List<T> result = new ArrayList<>();
        Await.until("the command to be served", 30_000, () -> {
            try {
                result.add(command.call());
                return true;
            } catch (final RedisCommandExecutionException ex) {
                if (isTransient(ex.getMessage())) {
                    return false;
                }
                throw ex;
            } catch (final PartitionSelectorException ex) {
                // the client's slot map had a gap when it was read (a leader changing): it reads it again
                return false;
            }
        });
        return result.get(0);
    }

    private static boolean servedBy(final String output, final String expected) {
        if (isTransient(output)) {
            return false;
        }
        assertEquals(expected, output);
        return true;
    }

    private static boolean isTransient(final String message) {
        return message != null && (message.startsWith("TRYAGAIN") || message.startsWith("CLUSTERDOWN") ||
            message.startsWith("(error) TRYAGAIN") || message.startsWith("(error) CLUSTERDOWN"));
    }

    /** A key led by another member than the one asked is answered MOVED to that member's Redis port. */
    private static void movedToItsLeader(final RespTestClient client, final ClusterProcesses cluster,
        final Set<Integer> respPorts) throws Exception {
        int moved = 0;
        for (int i = 0; i < 200 && moved < 5; i++) {
            final String attempt = "moved-" + i;
            final List<Object> replies = new ArrayList<>();
            Await.until("member 0 to answer SET " + attempt, 30_000, () -> {
                final Object answer = client.call("SET", attempt, "x");
                replies.add(answer);
                return !(answer instanceof RespTestClient.Error error && isTransient(error.text()));
            });
            final Object reply = replies.get(replies.size() - 1);
            if (reply instanceof RespTestClient.Error error) {
                final String[] parts = error.text().split(" ");
                assertEquals("MOVED", parts[0], error.text());
                final byte[] key = ("moved-" + i).getBytes(StandardCharsets.UTF_8);
                assertEquals(KeySlot.slot(new UnsafeBuffer(key), 0, key.length), Integer.parseInt(parts[1]));
                final int port = Integer.parseInt(parts[2].substring(parts[2].lastIndexOf(':') + 1));
                assertTrue(respPorts.contains(port) && port != cluster.respPort(0), error.text());
                // the member named takes it; should the group's leadership move meanwhile (a preferred leader
                // taking its group back), it answers MOVED in turn, and the new leader is asked
                final int[] target = {port};
                Await.until("the leader to take " + attempt, 30_000, () -> {
                    try (RespTestClient leader = new RespTestClient(target[0])) {
                        final Object answer = leader.call("SET", attempt, "x");
                        if (answer instanceof RespTestClient.Error failed && failed.text().startsWith("MOVED ")) {
                            final String address = failed.text().split(" ")[2];
                            target[0] = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                            return false;
                        }
                        return !(answer instanceof RespTestClient.Error failed && isTransient(failed.text())) &&
                            "OK".equals(answer);
                    }
                });
                moved++;
            } else {
                assertEquals("OK", reply);
            }
        }
        assertTrue(moved > 0, "no key of 200 was led by another member");
    }

    private static Set<Long> slotOwners(final RespTestClient client) throws Exception {
        final Set<Long> ports = new HashSet<>();
        for (final Object entry : (List<?>)client.call("CLUSTER", "SLOTS")) {
            ports.add((Long)((List<?>)((List<?>)entry).get(2)).get(1));
        }
        return ports;
    }

    private static int coveredSlots(final RespTestClient client, final Set<Integer> respPorts) throws Exception {
        final Object reply = client.call("CLUSTER", "SLOTS");
        assertInstanceOf(List.class, reply);
        int covered = 0;
        for (final Object entry : (List<?>)reply) {
            final List<?> range = (List<?>)entry;
            final List<?> node = (List<?>)range.get(2);
            assertTrue(respPorts.contains(((Long)node.get(1)).intValue()), "port " + node.get(1));
            covered += (int)((Long)range.get(1) - (Long)range.get(0) + 1);
        }
        return covered;
    }

    private static String run(final String... command) throws Exception {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
