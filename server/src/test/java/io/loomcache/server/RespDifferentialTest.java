package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.RedisServer;

/**
 * The same commands sent to a real redis-server and to a node's Redis port, one connection each, get the same
 * replies, byte for byte once parsed, error texts included. The scripts are where Redis's semantics are subtle:
 * SET's options, INCR's integer rules and overflow, GETRANGE's negative indexes, SETRANGE's padding, expiry edge
 * cases (a TTL rounds to the nearest second; a non-positive EXPIRE deletes), multi-key counting, arity and
 * unknown-command errors. Left out on purpose: {@code SELECT 1} (one database here) and {@code CLIENT SETINFO}
 * (Redis 7.2's; Debian's redis-server is 7.0, which does not know it).
 */
class RespDifferentialTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private static final String[][] SCRIPT = {
        {"PING"}, {"PING", "hello"}, {"ECHO", "e c h o"}, {"SELECT", "0"}, {"SELECT", "x"},
        {"GET", "s"}, {"SET", "s", "v1"}, {"GET", "s"}, {"SET", "s", "v2", "NX"}, {"SET", "s", "v3", "XX"},
        {"GET", "s"}, {"SET", "nx-new", "1", "NX"}, {"SET", "xx-new", "1", "XX"}, {"GET", "xx-new"},
        {"SET", "s", "v4", "GET"}, {"SET", "never", "x", "GET"}, {"GET", "never"},
        {"SET", "s", "v", "NX", "XX"}, {"SET", "s", "v", "EX", "10", "PX", "100"}, {"SET", "s", "v", "EX", "0"},
        {"SET", "s", "v", "EX", "-5"}, {"SET", "s", "v", "EX", "abc"}, {"SET", "s", "v", "BOGUS"},
        {"SET", "s", "v", "KEEPTTL", "EX", "5"}, {"SET", "s", "v", "EX"},
        {"SET", "c1", "a", "NX", "GET"}, {"GET", "c1"}, {"SET", "c1", "b", "NX", "GET"}, {"GET", "c1"},
        {"SET", "c1", "b", "XX", "GET"}, {"GET", "c1"}, {"SET", "c2", "x", "XX", "GET"}, {"EXISTS", "c2"},
        {"SET", "c3", "v", "EX", "1000"}, {"SET", "c3", "w", "KEEPTTL", "XX"}, {"TTL", "c3"},
        {"SET", "c3", "z", "KEEPTTL", "GET"}, {"TTL", "c3"}, {"GET", "c3"}, {"SET", "c4", "q", "KEEPTTL", "XX"},
        {"SET", "c4", "q", "KEEPTTL", "GET"}, {"TTL", "c4"}, {"SET", "c5", "1", "XX", "GET", "EX", "100"},
        {"SET", "c1", "n", "XX", "GET", "PX", "5000000"}, {"TTL", "c1"},
        {"SET", "t", "x", "EX", "1000"}, {"TTL", "t"}, {"SET", "t", "y", "KEEPTTL"}, {"TTL", "t"}, {"GET", "t"},
        {"SET", "t", "z"}, {"TTL", "t"}, {"TTL", "missing"}, {"PTTL", "missing"}, {"EXPIRE", "t", "500"},
        {"TTL", "t"}, {"PERSIST", "t"}, {"PERSIST", "t"}, {"PERSIST", "missing"}, {"TTL", "t"},
        {"EXPIRE", "t", "0"}, {"EXISTS", "t"}, {"EXPIRE", "missing", "10"}, {"EXPIRE", "t", "abc"},
        {"SET", "gone", "1"}, {"EXPIRE", "gone", "-1"}, {"GET", "gone"},
        {"SET", "eo", "1"}, {"EXPIRE", "eo", "100", "XX"}, {"EXPIRE", "eo", "100", "NX"}, {"EXPIRE", "eo", "200", "NX"},
        {"EXPIRE", "eo", "50", "GT"}, {"EXPIRE", "eo", "500", "gt"}, {"TTL", "eo"}, {"EXPIRE", "eo", "300", "LT"},
        {"TTL", "eo"}, {"EXPIRE", "eo", "100", "XX", "LT"}, {"TTL", "eo"}, {"EXPIRE", "eo", "100", "NX", "XX"},
        {"EXPIRE", "eo", "100", "GT", "LT"}, {"EXPIRE", "eo", "100", "BOGUS"}, {"SET", "ep", "1"},
        {"EXPIRE", "ep", "100", "GT"}, {"TTL", "ep"}, {"EXPIRE", "ep", "100", "LT"}, {"TTL", "ep"},
        {"EXPIRE", "missing", "100", "NX"}, {"PEXPIRE", "ep", "5000000", "GT"}, {"TTL", "ep"},
        {"EXPIRE", "eo", "-1", "XX"}, {"EXISTS", "eo"}, {"SET", "ep2", "1"}, {"EXPIREAT", "ep2", "1", "NX"},
        {"EXISTS", "ep2"}, {"PEXPIRE", "s", "5000000"}, {"TTL", "s"},
        {"SETEX", "se", "100", "v"}, {"TTL", "se"}, {"SETEX", "se", "0", "v"}, {"SETEX", "se", "-1", "v"},
        {"PSETEX", "pse", "100000", "v"}, {"TTL", "pse"}, {"SETEX", "se", "x", "v"},
        {"SETNX", "snx", "1"}, {"SETNX", "snx", "2"}, {"GET", "snx"},
        {"GETSET", "gs", "1"}, {"GETSET", "gs", "2"}, {"GETDEL", "gs"}, {"GETDEL", "gs"},
        {"INCR", "n"}, {"INCRBY", "n", "41"}, {"DECR", "n"}, {"DECRBY", "n", "-10"}, {"INCRBY", "n", "x"},
        {"SET", "n2", "abc"}, {"INCR", "n2"}, {"SET", "n3", " 1"}, {"INCR", "n3"}, {"SET", "n4", "01"},
        {"INCR", "n4"}, {"SET", "n5", "-0"}, {"INCR", "n5"}, {"SET", "n6", "9223372036854775807"}, {"INCR", "n6"},
        {"SET", "n7", "-9223372036854775808"}, {"DECR", "n7"}, {"INCRBY", "n8", "9223372036854775807"},
        {"DECRBY", "n9", "-9223372036854775808"}, {"SET", "n10", "12345678901234567890"}, {"INCR", "n10"},
        {"SET", "tn", "5", "EX", "1000"}, {"INCR", "tn"}, {"TTL", "tn"},
        {"SET", "f", "10.50"}, {"INCRBYFLOAT", "f", "0.1"}, {"INCRBYFLOAT", "f", "-5"}, {"SET", "f2", "5.0e3"},
        {"INCRBYFLOAT", "f2", "2.0e2"}, {"INCRBYFLOAT", "fnew", "3"}, {"INCRBYFLOAT", "fnew", "1.5"},
        {"SET", "f3", "10000000000"}, {"INCRBYFLOAT", "f3", "0.1"}, {"INCRBYFLOAT", "f3", "1e-30"},
        {"SET", "f4", "1e300"}, {"INCRBYFLOAT", "f4", "1"}, {"INCRBYFLOAT", "f", "abc"}, {"INCRBYFLOAT", "f", " 1"},
        {"INCRBYFLOAT", "f", "inf"}, {"INCRBYFLOAT", "f", "1e5000"}, {"INCRBYFLOAT", "f", ".5"},
        {"INCRBYFLOAT", "f", "5."}, {"INCRBYFLOAT", "f", "+1"}, {"INCRBYFLOAT", "f", "1e"},
        {"INCRBYFLOAT", "n2", "1"}, {"SET", "fi", "inf"}, {"INCRBYFLOAT", "fi", "1"},
        {"SET", "fneg", "-3.25"}, {"INCRBYFLOAT", "fneg", "3.25"}, {"INCRBYFLOAT", "fneg", "0.333333333333333333333"},
        {"SET", "tf", "1.5", "EX", "1000"}, {"INCRBYFLOAT", "tf", "1"}, {"TTL", "tf"},
        {"APPEND", "ap", "Hello"}, {"APPEND", "ap", " World"}, {"GET", "ap"}, {"STRLEN", "ap"},
        {"STRLEN", "missing"}, {"GETRANGE", "ap", "0", "4"}, {"GETRANGE", "ap", "-5", "-1"},
        {"GETRANGE", "ap", "-1", "-5"}, {"GETRANGE", "ap", "5", "3"}, {"GETRANGE", "ap", "0", "100"},
        {"GETRANGE", "ap", "-100", "2"}, {"GETRANGE", "missing", "0", "5"}, {"GETRANGE", "ap", "x", "1"},
        {"SUBSTR", "ap", "1", "3"}, {"SETRANGE", "sr", "5", "abc"}, {"GET", "sr"}, {"SETRANGE", "ap", "6", "Redis"},
        {"GET", "ap"}, {"SETRANGE", "empty", "0", ""}, {"EXISTS", "empty"}, {"SETRANGE", "ap", "0", ""},
        {"SETRANGE", "ap", "-1", "x"},
        {"MSET", "m1", "a", "m2", "b", "m3", "c"}, {"MGET", "m1", "missing", "m2", "m3"}, {"MSET", "m1"},
        {"MSET", "m1", "a", "m2"}, {"DEL", "m1", "m2", "missing", "m1"}, {"EXISTS", "m3", "m3", "m1"},
        {"UNLINK", "m3"}, {"TYPE", "snx"}, {"TYPE", "missing"},
        {"SET", "{r}a", "1", "EX", "1000"}, {"RENAME", "{r}a", "{r}b"}, {"GET", "{r}a"}, {"GET", "{r}b"},
        {"TTL", "{r}b"}, {"RENAME", "{r}a", "{r}b"}, {"RENAME", "{r}b", "{r}b"}, {"RENAMENX", "{r}b", "{r}b"},
        {"SET", "{r}c", "2"}, {"RENAMENX", "{r}b", "{r}c"}, {"GET", "{r}c"}, {"RENAMENX", "{r}b", "{r}d"},
        {"GET", "{r}d"}, {"TTL", "{r}d"}, {"SET", "{r}e", "3", "EX", "50"}, {"RENAME", "{r}c", "{r}e"},
        {"TTL", "{r}e"}, {"GET", "{r}e"}, {"RENAMENX", "{r}missing", "{r}x"}, {"RENAME", "{r}a"},
        {"MSETNX", "{n}a", "1", "{n}b", "2"}, {"MGET", "{n}a", "{n}b"}, {"MSETNX", "{n}b", "x", "{n}c", "3"},
        {"EXISTS", "{n}c"}, {"MSETNX", "{n}d", "1", "{n}d", "2"}, {"GET", "{n}d"}, {"MSETNX", "{n}e"},
        {"MSETNX", "{n}e", "1", "{n}f"},
        {"GETEX", "ap"}, {"GETEX", "ap", "EX", "1000"}, {"TTL", "ap"}, {"GETEX", "ap", "PERSIST"}, {"TTL", "ap"},
        {"GETEX", "ap", "EX", "-1"}, {"GETEX", "missing", "PX", "100"}, {"GETEX", "ap", "PXAT", "1"},
        {"EXISTS", "ap"}, {"SET", "gx", "v", "EX", "100"}, {"GETEX", "gx", "PERSIST"}, {"TTL", "gx"},
        {"GETEX", "gx", "PERSIST"}, {"GETEX", "gx", "EXAT", "99999999999"}, {"TTL", "gx"}, {"GETEX", "gx", "BAD"},
        {"GETEX", "gx", "EX", "10", "PX", "5"}, {"GETEX", "missing", "PERSIST"},
        {"SET", "ov", "v", "PX", "9223372036854775000"}, {"SET", "ov", "v", "EX", "9223372036854775"},
        {"PSETEX", "ov", "9223372036854775000", "v"}, {"SET", "ov", "v"}, {"PEXPIRE", "ov", "9223372036854775000"},
        {"GETEX", "ov", "PX", "9223372036854775000"}, {"SET", "ov", "v", "PXAT", "9223372036854775000"}, {"GET", "ov"},
        {"GET"}, {"SET", "x"}, {"GETRANGE", "x", "1"}, {"NOSUCHCOMMAND", "a", "b"}, {"DEL"},
        {"AUTH", "secret"}, {"AUTH", "default", "anything"}, {"CLIENT", "SETNAME", "my-client"},
        {"CLIENT", "GETNAME"}, {"CLIENT", "SETNAME", "bad name"}, {"FUNCTION", "FLUSH"}, {"FLUSHALL"}, {"DBSIZE"},
        {"GET", "snx"},
    };

    @Test
    void shouldReplyAsRedisDoesToTheSameCommands() throws Exception {
        final RedisServer redis = RedisServer.start(nodes);
        final LoomCacheNode node = nodes.start(nodes.context("nio").respPort(0));
        final List<String> differences = new ArrayList<>();
        try (RespTestClient expected = new RespTestClient(redis.port());
            RespTestClient actual = new RespTestClient(node.respPort())) {
            for (final String[] command : SCRIPT) {
                final Object want = expected.call(command);
                final Object got = actual.call(command);
                if (!java.util.Objects.equals(want, got)) {
                    differences.add(String.join(" ", command) + "\n    redis:     " + want + "\n    loomcache: " + got);
                }
            }
        }
        assertEquals("", String.join("\n", differences));
    }

    /** Inline commands (what nc and telnet send) are split and unescaped as Redis's sdssplitargs does. */
    @Test
    void shouldSplitInlineCommandsAsRedisDoes() throws Exception {
        final RedisServer redis = RedisServer.start(nodes);
        final LoomCacheNode node = nodes.start(nodes.context("nio").respPort(0));
        final String[] lines = {
            "SET k1 \"a\\x41\\n\\\"b\\q\"", "GET k1", "SET k2 'it\\'s \\x41'", "GET k2",
            "SET k3 pre\"fix suf\"", "GET k3", "ECHO \"\"", "PING",
            "SET k4 \"x\"y", // unbalanced: an error, then both close
        };
        try (RespTestClient expected = new RespTestClient(redis.port());
            RespTestClient actual = new RespTestClient(node.respPort())) {
            for (final String line : lines) {
                final byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                expected.send(bytes);
                actual.send(bytes);
                assertEquals(expected.read(), actual.read(), line);
            }
        }
    }

    /**
     * Publish/subscribe, a subscriber and a publisher on each server: confirmations and their counts, messages and
     * pattern messages (a channel's subscribers before the patterns', as Redis delivers them), PUBLISH's receiver
     * counts, RESP2's subscribed context (refused commands, PING's ["pong", ""]), UNSUBSCRIBE without arguments
     * (each channel, then a null one), PUBSUB's introspection and errors, RESP3 pushes (other commands allowed while
     * subscribed) and RESET ending the subscriptions.
     */
    @Test
    void shouldPublishAndSubscribeAsRedisDoes() throws Exception {
        final RedisServer redis = RedisServer.start(nodes);
        final LoomCacheNode node = nodes.start(nodes.context("nio").respPort(0));
        final List<String> differences = new ArrayList<>();
        try (RespTestClient redisSubscriber = new RespTestClient(redis.port());
            RespTestClient redisPublisher = new RespTestClient(redis.port());
            RespTestClient subscriber = new RespTestClient(node.respPort());
            RespTestClient publisher = new RespTestClient(node.respPort())) {
            final Pair sub = new Pair(redisSubscriber, subscriber, differences);
            final Pair pub = new Pair(redisPublisher, publisher, differences);
            sub.run(2, "SUBSCRIBE", "a", "b");
            pub.run(1, "PUBLISH", "a", "m1");
            sub.read(1);
            pub.run(1, "PUBLISH", "nobody", "m");
            sub.run(1, "PSUBSCRIBE", "a*");
            sub.run(1, "SUBSCRIBE", "a");
            pub.run(1, "PUBLISH", "a", "m2");
            sub.read(2);
            pub.run(1, "PUBLISH", "abc", "m3");
            sub.read(1);
            sub.run(1, "GET", "x");
            sub.run(1, "PING");
            sub.run(1, "PING", "hi");
            sub.run(1, "PUBLISH", "a", "x");
            sub.run(1, "NOSUCH");
            sub.run(1, "CLIENT", "LIST");
            sub.run(1, "PUBSUB", "NUMSUB", "a");
            sub.run(1, "SUBSCRIBE");
            pub.run(1, "PUBSUB", "NUMSUB", "a", "b", "zzz");
            pub.run(1, "PUBSUB", "NUMSUB");
            pub.run(1, "PUBSUB", "NUMPAT");
            pub.run(1, "PUBSUB", "CHANNELS", "a");
            pub.runSorted("PUBSUB", "CHANNELS", "[ab]");
            pub.run(1, "PUBSUB", "NUMPAT", "x");
            pub.run(1, "PUBSUB", "CHANNELS", "a", "b");
            pub.run(1, "PUBSUB", "NOSUCH");
            pub.run(1, "PUBSUB");
            pub.run(1, "PUBSUB", "HELP", "x");
            sub.run(1, "UNSUBSCRIBE", "a");
            pub.run(1, "PUBLISH", "a", "m4");
            sub.read(1);
            sub.run(1, "UNSUBSCRIBE", "never");
            sub.run(1, "UNSUBSCRIBE");
            sub.run(1, "PUNSUBSCRIBE", "a*");
            sub.run(1, "UNSUBSCRIBE");
            sub.run(1, "PUNSUBSCRIBE");
            sub.run(1, "GET", "x");
            pub.run(1, "PUBLISH", "a", "m5");
            sub.runUnchecked("HELLO", "3"); // the version and the client id differ
            sub.run(2, "SUBSCRIBE", "c", "d");
            pub.run(1, "PUBLISH", "c", "m6");
            sub.read(1);
            sub.run(1, "SET", "k", "v");
            sub.run(1, "GET", "k");
            sub.run(1, "PING");
            sub.run(1, "PSUBSCRIBE", "*");
            pub.run(1, "PUBLISH", "d", "m7");
            sub.read(2);
            sub.run(1, "UNSUBSCRIBE", "c");
            sub.run(1, "RESET");
            pub.run(1, "PUBSUB", "NUMSUB", "c", "d");
            pub.run(1, "PUBSUB", "NUMPAT");
            pub.run(1, "PUBLISH", "d", "m8");
            sub.run(1, "PING");
            sub.run(1, "DEL", "k");
        }
        assertEquals("", String.join("\n", differences));
    }

    /** One connection to redis-server and one to the node, sent the same and read alike. */
    private record Pair(RespTestClient redis, RespTestClient loomcache, List<String> differences) {
        void run(final int replies, final String... command) throws java.io.IOException {
            redis.send(RespTestClient.encode(command));
            loomcache.send(RespTestClient.encode(command));
            read(replies, String.join(" ", command));
        }

        /** A command whose reply is an array in no defined order (PUBSUB CHANNELS): compared sorted. */
        void runSorted(final String... command) throws java.io.IOException {
            redis.send(RespTestClient.encode(command));
            loomcache.send(RespTestClient.encode(command));
            final Object want = sorted(redis.read());
            final Object got = sorted(loomcache.read());
            if (!java.util.Objects.equals(want, got)) {
                differences.add(String.join(" ", command) + "\n    redis:     " + want + "\n    loomcache: " + got);
            }
        }

        void runUnchecked(final String... command) throws java.io.IOException {
            redis.call(command);
            loomcache.call(command);
        }

        private static Object sorted(final Object reply) {
            if (reply instanceof List<?> list) {
                return list.stream().map(String::valueOf).sorted().toList();
            }
            return reply;
        }

        void read(final int replies) throws java.io.IOException {
            read(replies, "(messages)");
        }

        private void read(final int replies, final String what) throws java.io.IOException {
            for (int i = 0; i < replies; i++) {
                final Object want = redis.read();
                final Object got = loomcache.read();
                if (!java.util.Objects.equals(want, got)) {
                    differences.add(what + "\n    redis:     " + want + "\n    loomcache: " + got);
                }
            }
        }
    }
}
