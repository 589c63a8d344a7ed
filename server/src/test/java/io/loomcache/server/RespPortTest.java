package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Redis port over real sockets, on both transports: replies come in command order whatever order the executors
 * answer in (deep pipelines mixing keys of both executors, commands the node answers itself and group-committed
 * writes), commands split at any byte are assembled, and malformed or oversized input gets Redis's error reply and a
 * close before the claimed bytes are waited for.
 */
class RespPortTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode start(final String transport, final boolean durable) throws Exception {
        return nodes.start(nodes.context(transport).respPort(0).persistenceEnabled(durable));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerADeepMixedPipelineInCommandOrder(final String transport) throws Exception {
        final LoomCacheNode node = start(transport, true);
        final int rounds = 500;
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            final ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            final List<Object> expected = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                pipeline.writeBytes(RespTestClient.encode("SET", "key-" + i, "value-" + i));
                expected.add("OK");
                pipeline.writeBytes(RespTestClient.encode("PING", "p" + i));
                expected.add("p" + i);
                pipeline.writeBytes(RespTestClient.encode("GET", "key-" + i));
                expected.add("value-" + i);
                pipeline.writeBytes(RespTestClient.encode("MGET", "key-" + i, "missing-" + i, "key-" + (i / 2)));
                expected.add(java.util.Arrays.asList("value-" + i, null, "value-" + (i / 2)));
                pipeline.writeBytes(RespTestClient.encode("SET", "tmp-" + i, "t"));
                expected.add("OK");
                pipeline.writeBytes(RespTestClient.encode("DEL", "missing-" + i, "tmp-" + i, "tmp-" + i));
                expected.add(1L);
                pipeline.writeBytes(RespTestClient.encode("EXISTS", "key-" + i, "tmp-" + i, "key-" + (i / 2)));
                expected.add(2L);
                pipeline.writeBytes(RespTestClient.encode("ECHO", "e" + i));
                expected.add("e" + i);
            }
            client.send(pipeline.toByteArray());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), client.read(), "reply " + i);
            }
            assertEquals(0L, client.call("EXISTS", "tmp-" + (rounds - 1)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAssembleCommandsSplitAtEveryByte(final String transport) throws Exception {
        final LoomCacheNode node = start(transport, false);
        final String big = "v".repeat(20_000);
        final byte[] bytes = concat(RespTestClient.encode("SET", "split", big), RespTestClient.encode("GET", "split"),
            "PING\r\n".getBytes(StandardCharsets.US_ASCII), "set  inline 'two words'\r\n".getBytes(
                StandardCharsets.US_ASCII), RespTestClient.encode("GET", "inline"));
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            for (int i = 0; i < bytes.length; i += i < 200 ? 1 : 997) {
                client.send(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i < 200 ? i + 1 : i + 997)));
            }
            assertEquals("OK", client.read());
            assertEquals(big, client.read());
            assertEquals("PONG", client.read());
            assertEquals("OK", client.read());
            assertEquals("two words", client.read());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldSpeakResp3AfterHello3(final String transport) throws Exception {
        final LoomCacheNode node = start(transport, false);
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            client.send(RespTestClient.encode("GET", "nothing"));
            assertNull(client.read());
            final Object hello = client.call("HELLO", "3");
            assertInstanceOf(Map.class, hello);
            assertEquals(3L, ((Map<?, ?>)hello).get("proto"));
            client.send(RespTestClient.encode("GET", "nothing"));
            client.send(RespTestClient.encode("CONFIG", "GET", "maxmemory-policy"));
            assertNull(client.read());
            assertEquals(Map.of("maxmemory-policy", "allkeys-lru"), client.read());
            assertInstanceOf(RespTestClient.Error.class, client.call("HELLO", "4"));
            assertEquals("NOPROTO unsupported protocol version", ((RespTestClient.Error)client.call("HELLO", "4"))
                .text());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "*abc\r\n|ERR Protocol error: invalid multibulk length",
        "*2000000\r\n|ERR Protocol error: invalid multibulk length",
        "*1\r\n$-5\r\n|ERR Protocol error: invalid bulk length",
        "*1\r\n$99999999999\r\n|ERR Protocol error: invalid bulk length",
        "*2\r\n$3\r\nGET\r\nX|ERR Protocol error: expected '$', got 'X'",
        "*1\r\n$200000\r\n|ERR Protocol error: invalid bulk length",
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$65530\r\n|ERR Protocol error: command longer than the node's largest request",
        "set \"unbalanced\r\n|ERR Protocol error: unbalanced quotes in request"})
    void shouldAnswerMalformedInputWithRedisErrorAndClose(final String testCase) throws Exception {
        final String[] parts = testCase.split("\\|");
        final LoomCacheNode node = start("nio", false);
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            client.send(RespTestClient.encode("SET", "before", "1"));
            assertEquals("OK", client.read());
            // the claimed bytes are never sent: the error must come from the header alone
            client.send(parts[0].getBytes(StandardCharsets.US_ASCII));
            assertEquals(new RespTestClient.Error(parts[1]), client.read());
            assertTrue(client.closedByServer());
        }
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            assertEquals("1", client.call("GET", "before"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldCloseAfterQuitOnceTheRepliesAreWritten(final String transport) throws Exception {
        final LoomCacheNode node = start(transport, false);
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            client.send(concat(RespTestClient.encode("SET", "q", "1"), RespTestClient.encode("QUIT"),
                RespTestClient.encode("SET", "q", "2")));
            assertEquals("OK", client.read());
            assertEquals("OK", client.read());
            assertTrue(client.closedByServer());
        }
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            assertEquals("1", client.call("GET", "q"));
            assertEquals(new RespTestClient.Error("ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' "),
                client.call("NOSUCH", "a", "b"));
            assertEquals(new RespTestClient.Error("ERR wrong number of arguments for 'get' command"),
                client.call("GET"));
            assertEquals("still open", client.call("ECHO", "still open"));
        }
    }

    /**
     * SCAN's guarantee, as Redis states it: a full iteration (cursor 0 back to 0) returns every key present during
     * the whole iteration; here exactly once, while other keys are written and removed between the steps. KEYS
     * returns every matching key; TYPE of another type returns nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldScanEveryKeyPresentThroughoutExactlyOnce(final String transport) throws Exception {
        final LoomCacheNode node = start(transport, false);
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            final java.util.Set<String> stable = new java.util.HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                assertEquals("OK", client.call("SET", "stable:" + i, "v"));
                stable.add("stable:" + i);
            }
            final java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            String cursor = "0";
            int steps = 0;
            do {
                final List<?> reply = (List<?>)client.call("SCAN", cursor, "MATCH", "stable:*", "COUNT", "37");
                cursor = (String)reply.get(0);
                for (final Object key : (List<?>)reply.get(1)) {
                    seen.merge((String)key, 1, Integer::sum);
                }
                // churn between steps: new keys, updates of other sizes, removals
                assertEquals("OK", client.call("SET", "churn:" + steps, "x".repeat(steps % 300)));
                client.call("DEL", "churn:" + (steps / 2));
                steps++;
            } while (!cursor.equals("0") && steps < 10_000);
            assertEquals("0", cursor);
            assertEquals(stable, seen.keySet());
            seen.forEach((key, times) -> assertEquals(1, times, key + " returned " + times + " times"));

            final List<?> keys = (List<?>)client.call("KEYS", "stable:1?9");
            assertEquals(java.util.Set.of("stable:109", "stable:119", "stable:129", "stable:139", "stable:149",
                "stable:159", "stable:169", "stable:179", "stable:189", "stable:199"), new java.util.HashSet<>(keys));
            assertEquals(1_000, ((List<?>)client.call("KEYS", "stable:*")).size());
            assertEquals(List.of("0", List.of()), client.call("SCAN", "0", "TYPE", "hash"));
            assertEquals(new RespTestClient.Error("ERR invalid cursor"), client.call("SCAN", "abc"));
            assertEquals(new RespTestClient.Error("ERR syntax error"), client.call("SCAN", "0", "COUNT", "0"));
        }
    }

    /** RANDOMKEY: null on an empty node, else a key the node holds, and not always the same one. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerRandomKeyWithKeysTheNodeHolds(final String transport) throws Exception {
        final LoomCacheNode node = start(transport, false);
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            assertNull(client.call("RANDOMKEY"));
            final java.util.Set<String> keys = new java.util.HashSet<>();
            for (int i = 0; i < 40; i++) {
                assertEquals("OK", client.call("SET", "r" + i, "v"));
                keys.add("r" + i);
            }
            final java.util.Set<Object> seen = new java.util.HashSet<>();
            for (int i = 0; i < 300; i++) {
                final Object key = client.call("RANDOMKEY");
                assertTrue(keys.contains(key), "not a key of the node: " + key);
                seen.add(key);
            }
            assertTrue(seen.size() >= 10, "300 picks saw only " + seen);
            assertEquals("OK", client.call("FLUSHALL"));
            assertNull(client.call("RANDOMKEY"));
        }
    }

    /**
     * RENAME, RENAMENX and MSETNX are one step on one executor, so their keys must share a slot on a single node too
     * (a node with four executors here); MSET, whose keys are one request each, takes keys of any slots as a
     * standalone Redis does.
     */
    @Test
    void shouldRefuseTheOneStepMultiKeyCommandsOverSlotsAndTakeThemInOneSlot() throws Exception {
        final LoomCacheNode node = nodes.start(nodes.context("nio").executors(4).respPort(0));
        final RespTestClient.Error crossSlot =
            new RespTestClient.Error("CROSSSLOT Keys in request don't hash to the same slot");
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            assertEquals("OK", client.call("MSET", "a", "1", "b", "2"));
            assertEquals(crossSlot, client.call("RENAME", "a", "b"));
            assertEquals(crossSlot, client.call("RENAMENX", "a", "b"));
            assertEquals(crossSlot, client.call("MSETNX", "x", "1", "y", "2"));
            assertEquals(List.of("1", "2"), client.call("MGET", "a", "b"), "nothing changed");
            assertEquals(0L, client.call("EXISTS", "x", "y"));
            assertEquals("OK", client.call("SET", "{user1}.name", "ada"));
            assertEquals("OK", client.call("RENAME", "{user1}.name", "{user1}.handle"));
            assertEquals(1L, client.call("MSETNX", "{user2}.a", "1", "{user2}.b", "2"));
            assertEquals(Arrays.asList("ada", null, "1", "2"),
                client.call("MGET", "{user1}.handle", "{user1}.name", "{user2}.a", "{user2}.b"));
        }
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (final byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }
}
