package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import io.loomcache.testkit.Await;

/**
 * Redis pub/sub on a node's Redis port with real clients and real sockets: Jedis (RESP2, whose subscriber loop reads
 * the next reply after its last UNSUBSCRIBE as an ordinary reply) and Lettuce (RESP3 pushes, channel and pattern
 * listeners) on both transports; the stream rules that keep clients in step while another connection publishes
 * without pause (no message inside a multi-part reply, before its SUBSCRIBE confirmation or after its UNSUBSCRIBE
 * confirmation); a subscriber that does not read is dropped at its spill limit and its subscriptions are forgotten.
 */
class RespPubSubTest {
    private static final int MESSAGES = 500;
    private static final int CYCLES = 150;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldDeliverToJedisAndLettuceSubscribers(final String transport) throws Exception {
        final LoomCacheNode node = nodes.start(nodes.context(transport).respPort(0));
        final BlockingQueue<String> jedisGot = new LinkedBlockingQueue<>();
        final BlockingQueue<String> lettuceGot = new LinkedBlockingQueue<>();
        final RedisClient lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1")
            .withPort(node.respPort()).withTimeout(Duration.ofSeconds(30)).build());
        try (Jedis jedisSubscriber = jedis(node); Jedis publisher = jedis(node);
            StatefulRedisPubSubConnection<String, String> lettuceSubscriber = lettuce.connectPubSub()) {
            final JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onMessage(final String channel, final String message) {
                    jedisGot.add(channel + ":" + message);
                    if (message.equals("last")) {
                        unsubscribe();
                    }
                }
            };
            final Thread jedisLoop = Thread.ofVirtual().start(() -> jedisSubscriber.subscribe(listener, "ticks"));
            lettuceSubscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(final String channel, final String message) {
                    lettuceGot.add(channel + ":" + message);
                }

                @Override
                public void message(final String pattern, final String channel, final String message) {
                    lettuceGot.add(pattern + ">" + channel + ":" + message);
                }
            });
            lettuceSubscriber.sync().subscribe("ticks");
            lettuceSubscriber.sync().psubscribe("tick*");
            Await.until("both subscribers", 30_000,
                () -> publisher.pubsubNumSub("ticks").get("ticks") == 2L && publisher.pubsubNumPat() == 1L);

            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                final String message = i == MESSAGES - 1 ? "last" : "m" + i;
                assertEquals(3L, publisher.publish("ticks", message));
                expected.add("ticks:" + message);
            }
            jedisLoop.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!jedisLoop.isAlive(), "Jedis's subscriber loop ended at its last UNSUBSCRIBE");
            assertEquals(expected, drain(jedisGot, MESSAGES));
            // after its last UNSUBSCRIBE Jedis reads replies again: a stray message would be read as PING's reply
            assertEquals("PONG", jedisSubscriber.ping());
            final List<String> lettuceExpected = new ArrayList<>();
            for (final String message : expected) {
                lettuceExpected.add(message);
                lettuceExpected.add("tick*>" + message);
            }
            assertEquals(lettuceExpected, drain(lettuceGot, 2 * MESSAGES));
            assertEquals(2L, publisher.publish("ticks", "after"));
        } finally {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }

    /**
     * While a publisher publishes without pause, a subscriber goes through subscribe/unsubscribe cycles with
     * multi-part replies in between: in RESP3 each cycle pipelines an MGET over keys of both executors (its values
     * come from two threads, in any order) and SUBSCRIBE; a push may come only between whole replies, never before
     * the confirmation; after UNSUBSCRIBE's confirmation the next thing is the reply to PING. In RESP2 the same
     * with GET after the confirmation, as Jedis does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio:3", "netty:3", "nio:2", "netty:2"})
    void shouldWriteMessagesOnlyBetweenRepliesAndWithinTheSubscription(final String transportAndProtocol)
        throws Exception {
        final String[] parts = transportAndProtocol.split(":");
        final boolean resp3 = parts[1].equals("3");
        final LoomCacheNode node = nodes.start(nodes.context(parts[0]).respPort(0));
        try (RespTestClient subscriber = new RespTestClient(node.respPort())) {
            final String[] keys = new String[16];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "key" + i;
                assertEquals("OK", subscriber.call("SET", keys[i], "value" + i));
            }
            if (resp3) {
                subscriber.call("HELLO", "3");
            }
            final Publishing publishing = new Publishing(node, true);
            final String[] mget = new String[keys.length + 1];
            mget[0] = "MGET";
            System.arraycopy(keys, 0, mget, 1, keys.length);
            final List<Object> values = new ArrayList<>();
            for (int i = 0; i < keys.length; i++) {
                values.add("value" + i);
            }
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                if (resp3) {
                    subscriber.send(concat(RespTestClient.encode(mget), RespTestClient.encode("SUBSCRIBE", "news")));
                    assertEquals(values, subscriber.read(), "MGET whole, before any message of the new subscription");
                } else {
                    subscriber.send(RespTestClient.encode("SUBSCRIBE", "news"));
                }
                assertEquals(confirmation(resp3, "subscribe", 1), subscriber.read(), "cycle " + cycle);
                assertEquals("message", items(subscriber.read()).get(0));
                if (resp3) {
                    // subscribed: messages come on, but never inside the array
                    subscriber.send(RespTestClient.encode(mget));
                    Object reply = subscriber.read();
                    while (reply instanceof RespTestClient.Push push) {
                        assertEquals("message", push.items().get(0));
                        reply = subscriber.read();
                    }
                    assertEquals(values, reply, "MGET whole while messages come");
                    subscriber.send(concat(RespTestClient.encode("UNSUBSCRIBE", "news"), RespTestClient.encode(mget),
                        RespTestClient.encode("PING")));
                } else {
                    subscriber.send(RespTestClient.encode("UNSUBSCRIBE", "news"));
                }
                Object next = subscriber.read();
                while (!next.equals(confirmation(resp3, "unsubscribe", 0))) {
                    assertEquals("message", items(next).get(0), "only messages before the confirmation");
                    next = subscriber.read();
                }
                if (resp3) {
                    assertEquals(values, subscriber.read(), "no message after the confirmation");
                    assertEquals("PONG", subscriber.read());
                } else {
                    assertEquals("value0", subscriber.call("GET", "key0"), "no message after the confirmation");
                }
            }
            publishing.stop();
        }
    }

    /**
     * Commands pipelined in one write while another connection publishes without pause, where the confirmations,
     * replies and messages of several commands meet in one batch: each must keep its place (RESP2: SUBSCRIBE,
     * UNSUBSCRIBE, GET; RESP3: a connection's own PUBLISH, one- and two-key MGETs before UNSUBSCRIBE, HELLO 2 while
     * subscribed; then QUIT, after whose reply nothing comes).
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio:3", "netty:3", "nio:2", "netty:2"})
    void shouldKeepEachMessageInItsPlaceWhenCommandsShareAWrite(final String transportAndProtocol) throws Exception {
        final String[] parts = transportAndProtocol.split(":");
        final boolean resp3 = parts[1].equals("3");
        final LoomCacheNode node = nodes.start(nodes.context(parts[0]).respPort(0));
        try (RespTestClient subscriber = new RespTestClient(node.respPort())) {
            subscriber.call("SET", "key0", "value0");
            subscriber.call("SET", "key1", "value1");
            final Publishing publishing = new Publishing(node, false);
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                if (!resp3) {
                    subscriber.send(concat(RespTestClient.encode("SUBSCRIBE", "news"),
                        RespTestClient.encode("UNSUBSCRIBE", "news"), RespTestClient.encode("GET", "key0")));
                    assertEquals(confirmation(false, "subscribe", 1), subscriber.read());
                    messagesUntil(subscriber, confirmation(false, "unsubscribe", 0), "loop");
                    assertEquals("value0", subscriber.read(), "no message after the confirmation");
                    continue;
                }
                subscriber.call("HELLO", "3");
                subscriber.send(concat(RespTestClient.encode("SUBSCRIBE", "news"),
                    RespTestClient.encode("PUBLISH", "news", "self"), RespTestClient.encode("UNSUBSCRIBE", "news"),
                    RespTestClient.encode("PING")));
                assertEquals(confirmation(true, "subscribe", 1), subscriber.read());
                final List<Object> beforeReply = messagesUntil(subscriber, 1L, "loop");
                assertTrue(beforeReply.stream().noneMatch(m -> items(m).get(2).equals("self")),
                    "its own message after PUBLISH's reply: " + beforeReply);
                assertTrue(messagesUntil(subscriber, confirmation(true, "unsubscribe", 0), "loop", "self").stream()
                    .anyMatch(m -> items(m).get(2).equals("self")), "its own message before the confirmation");
                assertEquals("PONG", subscriber.read());

                subscriber.call("SUBSCRIBE", "news");
                for (final List<String> keys : List.of(List.of("key0"), List.of("key0", "key1"))) {
                    final List<String> mget = new ArrayList<>(keys);
                    mget.add(0, "MGET");
                    subscriber.send(RespTestClient.encode(mget.toArray(String[]::new)));
                    messagesUntil(subscriber, keys.size() == 1 ? List.of("value0") : List.of("value0", "value1"),
                        "loop");
                }
                subscriber.send(concat(RespTestClient.encode("MGET", "key0", "key1"),
                    RespTestClient.encode("UNSUBSCRIBE", "news"), RespTestClient.encode("PING")));
                messagesUntil(subscriber, List.of("value0", "value1"), "loop");
                messagesUntil(subscriber, confirmation(true, "unsubscribe", 0), "loop");
                assertEquals("PONG", subscriber.read(), "no message after the confirmation");

                subscriber.call("SUBSCRIBE", "news");
                subscriber.send(RespTestClient.encode("HELLO", "2"));
                Object next = subscriber.read();
                while (next instanceof RespTestClient.Push push) {
                    assertEquals("message", push.items().get(0));
                    next = subscriber.read();
                }
                assertEquals(14, ((List<?>)next).size(), "HELLO 2's reply, whole: " + next);
                subscriber.send(RespTestClient.encode("UNSUBSCRIBE", "news"));
                next = subscriber.read();
                while (!next.equals(confirmation(false, "unsubscribe", 0))) {
                    assertEquals(List.of("message", "news", "loop"), next, "RESP2 after HELLO 2's reply");
                    next = subscriber.read();
                }
            }
            subscriber.call("SUBSCRIBE", "news");
            subscriber.send(RespTestClient.encode("QUIT"));
            messagesUntil(subscriber, "OK", "loop");
            assertTrue(subscriber.closedByServer(), "nothing after QUIT's reply");
            publishing.stop();
        }
    }

    /** Reads messages of {@code messages} until {@code expected}; returns the messages read before it. */
    private static List<Object> messagesUntil(final RespTestClient client, final Object expected,
        final String... messages) throws IOException {
        final List<Object> read = new ArrayList<>();
        Object next = client.read();
        while (!next.equals(expected)) {
            final List<?> items = items(next);
            assertEquals("message", items.get(0), "only messages before " + expected + ", got " + next);
            assertTrue(List.of(messages).contains(items.get(2)), "unexpected " + next);
            read.add(next);
            next = client.read();
        }
        return read;
    }

    @Test
    void shouldDropASubscriberThatDoesNotReadAndForgetItsSubscriptions() throws Exception {
        final LoomCacheNode node = nodes.start(nodes.context("nio").respPort(0).connectionSpillBytes(256 * 1024));
        try (Socket stalled = new Socket(); RespTestClient publisher = new RespTestClient(node.respPort())) {
            stalled.setReceiveBufferSize(16 * 1024);
            stalled.connect(new InetSocketAddress("127.0.0.1", node.respPort()), 5_000);
            final OutputStream out = stalled.getOutputStream();
            out.write(RespTestClient.encode("SUBSCRIBE", "firehose", "other"));
            out.flush();
            Await.until("the subscription", 30_000, () -> subscribers(publisher, "firehose") == 1L);
            final String message = "x".repeat(4096);
            long delivered = 0;
            // bounded: 256 KiB of spill and the socket buffers are passed long before 32 MiB
            for (int i = 0; i < 8_192 && subscribers(publisher, "firehose") > 0; i++) {
                delivered += (Long)publisher.call("PUBLISH", "firehose", message);
            }
            assertEquals(0L, subscribers(publisher, "firehose"), "dropped as a slow consumer");
            assertEquals(0L, subscribers(publisher, "other"));
            assertTrue(delivered > 0);
            final InputStream in = stalled.getInputStream();
            stalled.setSoTimeout(30_000);
            long read = 0;
            while (in.read() >= 0) {
                read++;
            }
            assertTrue(read < delivered * message.length(), "the connection closed before every message came");
        }
        try (RespTestClient publisher = new RespTestClient(node.respPort())) {
            try (RespTestClient subscriber = new RespTestClient(node.respPort())) {
                subscriber.call("SUBSCRIBE", "a");
                subscriber.call("PSUBSCRIBE", "a*");
                assertEquals(1L, subscribers(publisher, "a"));
                assertEquals(1L, publisher.call("PUBSUB", "NUMPAT"));
            }
            Await.until("the closed connection's subscriptions to go", 30_000,
                () -> subscribers(publisher, "a") == 0L && publisher.call("PUBSUB", "NUMPAT").equals(0L));
            assertEquals(0L, publisher.call("PUBLISH", "a", "nobody"));
        }
    }

    private static long subscribers(final RespTestClient client, final String channel) throws IOException {
        return (Long)((List<?>)client.call("PUBSUB", "NUMSUB", channel)).get(1);
    }

    private static Object confirmation(final boolean resp3, final String kind, final long count) {
        final List<Object> items = List.of(kind, "news", count);
        return resp3 ? new RespTestClient.Push(items) : items;
    }

    private static List<?> items(final Object reply) {
        if (reply instanceof RespTestClient.Push push) {
            return push.items();
        }
        return assertInstanceOf(List.class, reply);
    }

    private static byte[] concat(final byte[]... parts) {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (final byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    private static List<String> drain(final BlockingQueue<String> queue, final int count) throws Exception {
        final List<String> got = new ArrayList<>();
        while (got.size() < count) {
            final String next = queue.poll(30, TimeUnit.SECONDS);
            if (next == null) {
                break;
            }
            got.add(next);
        }
        return got;
    }

    private static Jedis jedis(final LoomCacheNode node) {
        return new Jedis(new HostAndPort("127.0.0.1", node.respPort()),
            DefaultJedisClientConfig.builder().timeoutMillis(30_000).build());
    }

    /** Another connection publishing to "news" without pause ("loop", or numbered messages), until stopped. */
    private final class Publishing {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread loop;

        Publishing(final LoomCacheNode node, final boolean numbered) throws IOException {
            final RespTestClient publisher = nodes.add(new RespTestClient(node.respPort()));
            loop = Thread.ofVirtual().start(() -> {
                try {
                    long n = 0;
                    while (running.get()) {
                        publisher.call("PUBLISH", "news", numbered ? "n" + n++ : "loop");
                    }
                } catch (final IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            loop.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!loop.isAlive(), "the publisher stopped");
        }
    }
}
