package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Redis client libraries from Maven Central against a node's Redis port, unchanged: Jedis (RESP2 and RESP3, plain
 * and pipelined) and Lettuce (its default handshake, HELLO 3 then CLIENT SETINFO; sync, async and manually flushed
 * pipelines), on both transports.
 */
class RespClientsTest {
    private static final int PIPELINED = 2_000;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @ParameterizedTest
    @ValueSource(strings = {"nio:2", "nio:3", "netty:2", "netty:3"})
    void shouldServeJedis(final String transportAndProtocol) throws Exception {
        final String[] parts = transportAndProtocol.split(":");
        final LoomCacheNode node = nodes.start(nodes.context(parts[0]).respPort(0));
        final DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
            .protocol(parts[1].equals("3") ? RedisProtocol.RESP3 : RedisProtocol.RESP2).timeoutMillis(30_000).build();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", node.respPort()), config)) {
            assertEquals("PONG", jedis.ping());
            assertEquals("OK", jedis.set("greeting", "hello"));
            assertEquals("hello", jedis.get("greeting"));
            assertNull(jedis.get("missing"));
            assertEquals("OK", jedis.set("ttl", "v", SetParams.setParams().ex(100)));
            assertTrue(jedis.ttl("ttl") > 90);
            assertEquals(5, jedis.incrBy("counter", 5));
            assertEquals(4, jedis.decr("counter"));
            assertEquals(11, jedis.append("greeting", " world"));
            assertEquals("world", jedis.getrange("greeting", -5, -1));
            assertEquals(List.of("hello world", "4"), jedis.mget("greeting", "counter"));
            assertEquals(2, jedis.del("greeting", "counter", "missing"));
            assertFalse(jedis.exists("greeting"));
            final JedisDataException notInteger = assertThrows(JedisDataException.class, () -> {
                jedis.set("text", "abc");
                jedis.incr("text");
            });
            assertEquals("ERR value is not an integer or out of range", notInteger.getMessage());

            final Pipeline pipeline = jedis.pipelined();
            final List<Response<String>> gets = new ArrayList<>();
            for (int i = 0; i < PIPELINED; i++) {
                pipeline.set("p" + i, "v" + i);
                gets.add(pipeline.get("p" + i));
            }
            final Response<Long> size = pipeline.dbSize();
            pipeline.sync();
            for (int i = 0; i < PIPELINED; i++) {
                assertEquals("v" + i, gets.get(i).get());
            }
            assertEquals(PIPELINED + 2L, size.get());
            assertEquals("OK", jedis.flushAll());
            assertEquals(0, jedis.dbSize());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio:3", "netty:3", "nio:2"})
    void shouldServeLettuceSyncAsyncAndPipelined(final String transportAndProtocol) throws Exception {
        final String[] parts = transportAndProtocol.split(":");
        final LoomCacheNode node = nodes.start(nodes.context(parts[0]).respPort(0));
        final RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1")
            .withPort(node.respPort()).withTimeout(Duration.ofSeconds(30)).build());
        client.setOptions(ClientOptions.builder().protocolVersion(parts[1].equals("3") ? ProtocolVersion.RESP3 :
            ProtocolVersion.RESP2).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            final RedisCommands<String, String> sync = connection.sync();
            assertEquals("PONG", sync.ping());
            assertEquals("OK", sync.set("k", "v"));
            assertEquals("v", sync.get("k"));
            assertNull(sync.get("missing"));
            assertEquals(7L, sync.incrby("n", 7));
            assertEquals(true, sync.expire("k", 100));
            assertTrue(sync.ttl("k") > 90);
            assertEquals(true, sync.persist("k"));
            assertEquals(-1L, sync.ttl("k"));
            assertEquals("string", sync.type("k"));

            final RedisAsyncCommands<String, String> async = connection.async();
            final RedisFuture<String> set = async.set("a", "1");
            final RedisFuture<String> get = async.get("a");
            assertEquals("OK", set.get(30, TimeUnit.SECONDS));
            assertEquals("1", get.get(30, TimeUnit.SECONDS));

            connection.setAutoFlushCommands(false);
            final List<RedisFuture<?>> futures = new ArrayList<>();
            final List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < PIPELINED; i++) {
                futures.add(async.set("q" + i, "w" + i));
                final RedisFuture<String> value = async.get("q" + i);
                futures.add(value);
                gets.add(value);
            }
            connection.flushCommands();
            assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(60), futures.toArray(RedisFuture[]::new)));
            for (int i = 0; i < PIPELINED; i++) {
                assertEquals("w" + i, gets.get(i).get());
            }
            connection.setAutoFlushCommands(true);
            assertEquals(PIPELINED + 3L, sync.dbsize());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }
}
