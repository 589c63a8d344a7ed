package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.metrics.ServerMetrics;
import io.loomcache.store.EvictionPolicy;
import io.loomcache.wal.FsyncPolicy;

/**
 * Property test of recovery (issue 9): seeded random histories of put, put with TTL, put-if-absent, remove, replace,
 * expire, the Redis read-modify-writes (increment, append, get-and-put, get-and-remove, put-if-present, persist,
 * set-range, put keeping the TTL), clear, reads, size and clock moves run against one real executor (store, WAL,
 * snapshots every few records) with a memory cap small enough to evict often, restarted now and then from its
 * directory with the clock moved forwards or backwards. Every answer is checked against a model of what clients were
 * acknowledged, where eviction may make a key absent; before each restart every key is read, and after it the
 * recovered executor must hold exactly the keys and values read before, minus those whose deadline passed while it
 * was down, with the same deadlines. A failure names its seed: rerun it with {@code -Drecovery.seed=N}.
 */
class RestartHistoryTest {
    private static final int SEEDS = Integer.getInteger("recovery.seeds", 24);
    private static final int STEPS = Integer.getInteger("recovery.steps", 400);
    private static final int KEYS = 128;
    private static final int TRACE = Integer.getInteger("recovery.trace", 40);
    private static final int MAX_VALUE_LENGTH = 64 * 1024;

    @TempDir
    Path root;

    @Test
    void whenRandomHistoriesRestart_thenEachRecoveryRebuildsExactlyTheStateClientsSawBeforeIt() throws Exception {
        final Long only = Long.getLong("recovery.seed");
        if (only != null) {
            run(only);
            return;
        }
        final long[] covered = new long[Coverage.values().length];
        for (long seed = 1; seed <= SEEDS; seed++) {
            final long[] coverage = run(seed * 0x9E3779B97F4A7C15L);
            for (int i = 0; i < covered.length; i++) {
                covered[i] += coverage[i];
            }
        }
        final StringBuilder summary = new StringBuilder(SEEDS + " histories of " + STEPS + " steps:");
        for (final Coverage coverage : Coverage.values()) {
            summary.append(' ').append(coverage).append('=').append(covered[coverage.ordinal()]);
        }
        System.out.println(summary);
        for (final Coverage coverage : Coverage.values()) {
            assertTrue(covered[coverage.ordinal()] > 0, "no history had " + coverage + ": " + summary);
        }
    }

    private long[] run(final long seed) throws Exception {
        final History history = new History(seed, Files.createDirectory(root.resolve(Long.toUnsignedString(seed))));
        try {
            history.run();
            return history.coverage;
        } catch (final AssertionError | Exception ex) {
            throw new AssertionError("seed " + seed + " (rerun with -Drecovery.seed=" + seed + "), " +
                history.describe() + "; last steps:\n  " + String.join("\n  ", history.trace) + "\n" + ex, ex);
        } finally {
            history.close();
        }
    }

    /** One seeded history against one executor and its model. */
    private static final class History {
        private final Random random;
        private final CachedEpochClock clock = new CachedEpochClock();
        private final ServerContext context;
        private final EvictionPolicy policy;
        private final ConnectionRegistry registry = new ConnectionRegistry(4);
        private final PartitionAgentTest.CapturingConnection connection =
            new PartitionAgentTest.CapturingConnection(1024 * 1024);
        private final FanOutTable fanOut = new FanOutTable(8);
        private final ResponseDelivery delivery = new ResponseDelivery(registry, fanOut, new ServerMetrics(),
            SystemNanoClock.INSTANCE);
        private final Map<String, Expected> model = new HashMap<>();
        private final ArrayDeque<String> trace = new ArrayDeque<>();
        private PartitionAgent agent;
        private long correlationId;
        private final long[] coverage = new long[Coverage.values().length];
        private int writes;
        private int restarts;

        History(final long seed, final Path dataDir) {
            random = new Random(seed);
            clock.update(1_700_000_000_000L);
            policy = pick(EvictionPolicy.LRU, EvictionPolicy.LRU, EvictionPolicy.LFU, EvictionPolicy.NONE);
            context = new ServerContext()
                .executors(1)
                    .maxMemoryBytes(ServerContext.MIN_EXECUTOR_MEMORY_BYTES)
                .maxFrameLength(MAX_VALUE_LENGTH)
                .persistenceEnabled(true)
                .dataDir(dataDir)
                .walSegmentLength(128 * 1024)
                .walFsync(pick(FsyncPolicy.BATCH, FsyncPolicy.NONE))
                .snapshotEvery(pick(0, 3, 25, 200))
                .eviction(policy)
                .epochClock(clock)
                .conclude();
            assertTrue(registry.register(connection));
        }

        @SafeVarargs
        private <T> T pick(final T... choices) {
            return choices[random.nextInt(choices.length)];
        }

        String describe() {
            return "eviction " + policy + ", fsync " + context.walFsync() + ", snapshot every " +
                context.snapshotEvery() + ", " + writes + " writes, " + restarts + " restarts";
        }

        void run() throws Exception {
            agent = ExecutorGroup.createAgent(context, 0, delivery);
            for (int step = 0; step < STEPS; step++) {
                step();
            }
            restart();
        }

        void close() {
            if (agent != null) {
                agent.onClose();
                agent = null;
            }
        }

        private void closeAgent() throws Exception {
            coverage[Coverage.EVICTION.ordinal()] += agent.counters().evictions();
            coverage[Coverage.EXPIRY.ordinal()] += agent.counters().expirations();
            agent.onClose();
            agent = null;
            try (var files = Files.list(context.walDir().resolve("executor-0"))) {
                coverage[Coverage.SNAPSHOT.ordinal()] += files.filter(file -> file.toString().endsWith(".snapshot"))
                    .count();
            }
        }

        private void step() throws Exception {
            final String key = "key-" + random.nextInt(KEYS);
            final int dice = random.nextInt(112);
            if (dice >= 100) {
                readModifyWrite(key);
            } else if (dice < 36) {
                put(key, false);
            } else if (dice < 44) {
                put(key, true);
            } else if (dice < 50) {
                remove(key);
            } else if (dice < 58) {
                replace(key);
            } else if (dice < 63) {
                expire(key);
            } else if (dice < 76) {
                read(key);
            } else if (dice < 80) {
                ttl(key);
            } else if (dice < 81 && random.nextInt(4) == 0) {
                note("clear");
                assertEquals(Opcodes.RESPONSE_OK, fanOut(Opcodes.MAP_CLEAR).opcode());
                model.clear();
            } else if (dice < 84) {
                final long size = fanOut(Opcodes.MAP_SIZE).longResult();
                note("size = " + size);
                assertEquals(scan().size(), size, "MAP_SIZE counts exactly the keys a GET finds");
            } else if (dice < 96) {
                final long ms = random.nextInt(600);
                note("clock +" + ms);
                clock.advance(ms);
            } else {
                restart();
            }
        }

        private void put(final String key, final boolean ifAbsent) {
            final byte[] value = value(key);
            final long ttlMs = ttl();
            final Expected live = live(key);
            final ResponseDecoder response = keyed(ifAbsent ? Opcodes.MAP_PUT_IF_ABSENT : Opcodes.MAP_PUT, ttlMs, key,
                null, value);
            note((ifAbsent ? "putIfAbsent " : "put ") + key + " " + value.length + "B ttl " + ttlMs + " -> " +
                describe(response) + " [" + agent.counters().size() + " entries, " + agent.counters().usedBytes() +
                " used, " + agent.counters().reservedBytes() + " reserved]");
            if (refusedAsFull(response)) {
                return;
            }
            if (ifAbsent && !response.booleanResult()) {
                assertTrue(live != null, "putIfAbsent refused a key that is absent");
                return;
            }
            if (ifAbsent) {
                assertTrue(live == null || evicts(), "putIfAbsent stored over a live key");
            } else {
                assertEquals(Opcodes.RESPONSE_OK, response.opcode());
            }
            model.put(key, new Expected(new String(value, StandardCharsets.UTF_8), deadline(ttlMs)));
            writes++;
        }

        private void remove(final String key) {
            final Expected live = live(key);
            final boolean removed = keyed(Opcodes.MAP_REMOVE, 0, key, null, null).booleanResult();
            note("remove " + key + " -> " + removed);
            if (removed) {
                assertTrue(live != null, "removed a key that was absent");
            } else {
                assertTrue(live == null || evicts(), "did not remove a live key");
            }
            model.remove(key);
            writes++;
        }

        private void replace(final String key) {
            final Expected live = live(key);
            final boolean current = live != null && random.nextInt(4) != 0;
            final byte[] expected = current ? live.value().getBytes(StandardCharsets.UTF_8) : value(key);
            final byte[] value = value(key);
            final ResponseDecoder response = keyed(Opcodes.MAP_REPLACE, 0, key, expected, value);
            note("replace " + key + (current ? " current" : " other") + " with " + value.length + "B -> " +
                describe(response));
            if (refusedAsFull(response)) {
                return;
            }
            if (response.booleanResult()) {
                assertTrue(current, "replaced although the expected value differs");
                model.put(key, new Expected(new String(value, StandardCharsets.UTF_8), live.expireAtMs()));
                writes++;
            } else {
                assertTrue(!current || evicts(), "did not replace a live key holding the expected value");
                if (current) {
                    model.remove(key);
                }
            }
        }

        private void expire(final String key) {
            final Expected live = live(key);
            final long ttlMs = ttl();
            final boolean set = keyed(Opcodes.MAP_EXPIRE, ttlMs, key, null, null).booleanResult();
            note("expire " + key + " ttl " + ttlMs + " -> " + set);
            if (set) {
                assertTrue(live != null, "set the TTL of an absent key");
                model.put(key, new Expected(live.value(), deadline(ttlMs)));
                writes++;
            } else {
                assertTrue(live == null || evicts(), "did not set the TTL of a live key");
                model.remove(key);
            }
        }

        private void readModifyWrite(final String key) {
            final Expected live = live(key);
            final int which = random.nextInt(8);
            switch (which) {
                case 0 -> increment(key, live);
                case 1 -> append(key, live);
                case 2 -> getAndPut(key, live);
                case 3 -> getAndRemove(key, live);
                case 4 -> putIfPresent(key, live);
                case 5 -> persist(key, live);
                case 6 -> setRange(key, live);
                default -> putKeepTtl(key, live);
            }
            coverage[Coverage.READ_MODIFY_WRITE.ordinal()]++;
        }

        private void increment(final String key, final Expected live) {
            final long delta = random.nextInt(11) - 5;
            final ResponseDecoder response = keyed(Opcodes.MAP_INCREMENT, delta, key, null, null);
            note("increment " + key + " by " + delta + " -> " + describe(response));
            final Long current = live == null ? null : integer(live.value());
            if (response.opcode() == Opcodes.RESPONSE_ERROR && response.errorCode() == ErrorCode.NOT_AN_INTEGER) {
                assertTrue(live != null && current == null, "refused to increment an integer or a missing key");
                return;
            }
            if (refusedAsFull(response)) {
                return;
            }
            final long result = response.longResult();
            final boolean kept = current != null && result == current + delta;
            assertTrue(kept || result == delta && (live == null || evicts()), "increment of " + key);
            settle(key, Long.toString(result), kept ? live : null);
        }

        private void append(final String key, final Expected live) {
            final String suffix = "+" + (char)('a' + random.nextInt(26)) + "x".repeat(random.nextInt(40));
            final ResponseDecoder response = keyed(Opcodes.MAP_APPEND, 0, key, null,
                suffix.getBytes(StandardCharsets.UTF_8));
            note("append " + key + " " + suffix.length() + "B -> " + describe(response));
            if (response.opcode() == Opcodes.RESPONSE_ERROR && response.errorCode() == ErrorCode.VALUE_TOO_LONG) {
                assertTrue(live != null && live.value().length() + suffix.length() > MAX_VALUE_LENGTH);
                return;
            }
            if (refusedAsFull(response)) {
                return;
            }
            final long result = response.longResult();
            final boolean kept = live != null && result == live.value().length() + suffix.length();
            assertTrue(kept || result == suffix.length() && (live == null || evicts()), "append to " + key);
            settle(key, kept ? live.value() + suffix : suffix, kept ? live : null);
        }

        private void getAndPut(final String key, final Expected live) {
            final byte[] value = value(key);
            final long ttlMs = ttl();
            final ResponseDecoder response = keyed(Opcodes.MAP_GET_AND_PUT, ttlMs, key, null, value);
            note("getAndPut " + key + " " + value.length + "B ttl " + ttlMs + " -> " + describe(response));
            if (refusedAsFull(response)) {
                return;
            }
            assertPrevious(live, response);
            model.put(key, new Expected(new String(value, StandardCharsets.UTF_8), deadline(ttlMs)));
            writes++;
        }

        private void getAndRemove(final String key, final Expected live) {
            final ResponseDecoder response = keyed(Opcodes.MAP_GET_AND_REMOVE, 0, key, null, null);
            note("getAndRemove " + key + " -> " + describe(response));
            assertPrevious(live, response);
            model.remove(key);
            writes++;
        }

        private void assertPrevious(final Expected live, final ResponseDecoder response) {
            if (response.opcode() == Opcodes.RESPONSE_NOT_FOUND) {
                assertTrue(live == null || evicts(), "a live key was not found");
            } else {
                assertTrue(live != null, "found a key that is absent");
                assertEquals(live.value(), response.valueAsString());
            }
        }

        private void putIfPresent(final String key, final Expected live) {
            final byte[] value = value(key);
            final long ttlMs = ttl();
            final ResponseDecoder response = keyed(Opcodes.MAP_PUT_IF_PRESENT, ttlMs, key, null, value);
            note("putIfPresent " + key + " " + value.length + "B ttl " + ttlMs + " -> " + describe(response));
            if (refusedAsFull(response)) {
                return;
            }
            if (response.booleanResult()) {
                assertTrue(live != null, "putIfPresent stored over an absent key");
                model.put(key, new Expected(new String(value, StandardCharsets.UTF_8), deadline(ttlMs)));
                writes++;
            } else {
                assertTrue(live == null || evicts(), "putIfPresent refused a live key");
                model.remove(key);
            }
        }

        private void persist(final String key, final Expected live) {
            final ResponseDecoder response = keyed(Opcodes.MAP_PERSIST, 0, key, null, null);
            note("persist " + key + " -> " + describe(response));
            if (refusedAsFull(response)) {
                return;
            }
            if (response.booleanResult()) {
                assertTrue(live != null && live.expireAtMs() != 0, "persisted a key without TTL");
                model.put(key, new Expected(live.value(), 0));
                writes++;
            } else {
                assertTrue(live == null || live.expireAtMs() == 0 || evicts(), "did not persist a key with a TTL");
                if (live != null && live.expireAtMs() != 0) {
                    model.remove(key);
                }
            }
        }

        private void setRange(final String key, final Expected live) {
            final int offset = random.nextInt(60);
            final String piece = "@" + "y".repeat(random.nextInt(20));
            final ResponseDecoder response = keyed(Opcodes.MAP_SET_RANGE, offset, key, null,
                piece.getBytes(StandardCharsets.UTF_8));
            note("setRange " + key + " at " + offset + " " + piece.length() + "B -> " + describe(response));
            if (refusedAsFull(response)) {
                return;
            }
            final String ifKept = live == null ? null : overwrite(live.value(), offset, piece);
            final String ifMissing = overwrite("", offset, piece);
            final long result = response.longResult();
            boolean kept = ifKept != null && result == ifKept.length();
            if (kept && evicts() && ifKept.length() == ifMissing.length() && !ifKept.equals(ifMissing)) {
                // the same length either way: what the key holds now tells whether it was evicted first
                kept = ifKept.equals(keyed(Opcodes.MAP_GET, 0, key, null, null).valueAsString());
            }
            assertTrue(kept || result == ifMissing.length() && (live == null || evicts()), "setRange of " + key);
            settle(key, kept ? ifKept : ifMissing, kept ? live : null);
        }

        private static String overwrite(final String value, final int offset, final String piece) {
            final StringBuilder result = new StringBuilder(value);
            while (result.length() < offset) {
                result.append('\0');
            }
            result.replace(offset, Math.min(result.length(), offset + piece.length()), piece);
            return result.toString();
        }

        private void putKeepTtl(final String key, final Expected live) {
            final byte[] value = value(key);
            final ResponseDecoder response = keyed(Opcodes.MAP_PUT_KEEP_TTL, 0, key, null, value);
            note("putKeepTtl " + key + " " + value.length + "B -> " + describe(response));
            if (refusedAsFull(response)) {
                return;
            }
            assertEquals(Opcodes.RESPONSE_OK, response.opcode());
            settle(key, new String(value, StandardCharsets.UTF_8), live);
        }

        /**
         * Models a write that keeps the deadline of the live entry it found. When the store may have evicted that
         * entry first (and written the key anew, without TTL), the key's TTL tells which happened.
         */
        private void settle(final String key, final String value, final Expected found) {
            long expireAtMs = found == null ? 0 : found.expireAtMs();
            if (expireAtMs != 0 && evicts()) {
                final long ttlMs = keyed(Opcodes.MAP_TTL, 0, key, null, null).longResult();
                expireAtMs = ttlMs == 0 ? 0 : expireAtMs;
            }
            model.put(key, new Expected(value, expireAtMs));
            writes++;
        }

        private static Long integer(final String value) {
            try {
                final long parsed = Long.parseLong(value);
                return Long.toString(parsed).equals(value) ? parsed : null;
            } catch (final NumberFormatException ex) {
                return null;
            }
        }

        private String read(final String key) {
            final Expected live = live(key);
            final ResponseDecoder response = keyed(Opcodes.MAP_GET, 0, key, null, null);
            note("get " + key + " -> " + describe(response));
            if (response.opcode() == Opcodes.RESPONSE_NOT_FOUND) {
                assertTrue(live == null || evicts(), "a live key was not found");
                model.remove(key);
                return null;
            }
            assertEquals(Opcodes.RESPONSE_VALUE, response.opcode());
            assertTrue(live != null, "found a key that is absent");
            assertEquals(live.value(), response.valueAsString(), "value of " + key);
            return live.value();
        }

        private void ttl(final String key) {
            final Expected live = live(key);
            final ResponseDecoder response = keyed(Opcodes.MAP_TTL, 0, key, null, null);
            note("ttl " + key + " -> " + describe(response));
            if (response.opcode() == Opcodes.RESPONSE_NOT_FOUND) {
                assertTrue(live == null || evicts(), "a live key was not found");
                model.remove(key);
                return;
            }
            assertTrue(live != null, "found a key that is absent");
            assertEquals(live.expireAtMs() == 0 ? 0 : live.expireAtMs() - clock.time(), response.longResult(),
                "TTL of " + key);
        }

        /** Reads every key, which also makes the store drop (and log) every expired one. */
        private Map<String, String> scan() {
            final Map<String, String> present = new TreeMap<>();
            for (int i = 0; i < KEYS; i++) {
                final String key = "key-" + i;
                final String value = read(key);
                if (value != null) {
                    present.put(key, value);
                }
            }
            return present;
        }

        private void restart() throws Exception {
            note("restart");
            final Map<String, String> before = scan();
            assertEquals(before.size(), fanOut(Opcodes.MAP_SIZE).longResult(), "MAP_SIZE before the restart");
            closeAgent();
            final long moveMs = random.nextInt(5) == 0 ? -random.nextInt(1_500) : random.nextInt(1_500);
            clock.advance(moveMs);
            note("clock " + (moveMs >= 0 ? "+" : "") + moveMs + " while down");
            agent = ExecutorGroup.createAgent(context, 0, delivery);
            restarts++;
            final Map<String, String> expected = new TreeMap<>(before);
            expected.keySet().removeIf(key -> live(key) == null);
            coverage[Coverage.RESTART.ordinal()]++;
            coverage[Coverage.RESTART_WITH_THE_CLOCK_SET_BACK.ordinal()] += moveMs < 0 ? 1 : 0;
            coverage[Coverage.EXPIRY_WHILE_DOWN.ordinal()] += before.size() - expected.size();
            final Map<String, String> after = new TreeMap<>();
            for (int i = 0; i < KEYS; i++) {
                final String key = "key-" + i;
                final ResponseDecoder response = keyed(Opcodes.MAP_GET, 0, key, null, null);
                if (response.opcode() == Opcodes.RESPONSE_VALUE) {
                    after.put(key, response.valueAsString());
                    final Expected live = model.get(key);
                    final long ttlMs = keyed(Opcodes.MAP_TTL, 0, key, null, null).longResult();
                    assertEquals(live == null || live.expireAtMs() == 0 ? 0 : live.expireAtMs() - clock.time(), ttlMs,
                        "deadline of " + key + " after the restart");
                }
            }
            if (!expected.equals(after)) {
                fail("the recovered executor does not hold what clients saw before the restart (recovery evicted " +
                    agent.counters().evictions() + " and expired " + agent.counters().expirations() + "): " +
                    difference(expected, after));
            }
            assertEquals(expected.size(), fanOut(Opcodes.MAP_SIZE).longResult(), "MAP_SIZE after the restart");
        }

        private String difference(final Map<String, String> expected, final Map<String, String> actual) {
            final StringBuilder difference = new StringBuilder();
            for (int i = 0; i < KEYS; i++) {
                final String key = "key-" + i;
                final String want = expected.get(key);
                final String got = actual.get(key);
                if (want == null ? got != null : !want.equals(got)) {
                    final Expected modelled = model.get(key);
                    difference.append(key).append(" expected ").append(brief(want)).append(" got ").append(brief(got))
                        .append(modelled == null ? "" : " (deadline " + modelled.expireAtMs() + ")").append("; ");
                }
            }
            return difference.toString();
        }

        private static String brief(final String value) {
            return value == null ? "absent" : value.substring(0, value.indexOf('-', 4) + 1) + value.length() + "B";
        }

        private boolean refusedAsFull(final ResponseDecoder response) {
            if (response.opcode() != Opcodes.RESPONSE_ERROR) {
                return false;
            }
            assertEquals(ErrorCode.STORE_FULL, response.errorCode(), response.errorMessageAsString());
            assertEquals(EvictionPolicy.NONE, policy, "only a store that does not evict is ever full");
            return true;
        }

        private boolean evicts() {
            return policy != EvictionPolicy.NONE;
        }

        private Expected live(final String key) {
            final Expected expected = model.get(key);
            if (expected != null && expected.expireAtMs() != 0 && clock.time() >= expected.expireAtMs()) {
                model.remove(key);
                return null;
            }
            return expected;
        }

        private long ttl() {
            return random.nextInt(5) == 0 ? 1 + random.nextInt(5_000) : 0;
        }

        private long deadline(final long ttlMs) {
            return ttlMs == 0 ? 0 : clock.time() + ttlMs;
        }

        private byte[] value(final String key) {
            final int dice = random.nextInt(10);
            final int length = dice < 4 ? 8 + random.nextInt(40) : dice < 7 ? 500 + random.nextInt(3_500) :
                6_000 + random.nextInt(10_000);
            final StringBuilder value = new StringBuilder(key).append('#').append(++correlationId).append('-');
            while (value.length() < length) {
                value.append((char)('a' + random.nextInt(26)));
            }
            return value.toString().getBytes(StandardCharsets.UTF_8);
        }

        private ResponseDecoder keyed(final int opcode, final long ttlMs, final String key, final byte[] expected,
            final byte[] value) {
            ExecutorRequests.keyed(agent.requests(), connection, opcode, ++correlationId, ttlMs,
                key.getBytes(StandardCharsets.UTF_8), expected, value);
            return response();
        }

        private ResponseDecoder fanOut(final int opcode) {
            ExecutorRequests.fanOut(agent.requests(), connection, fanOut, opcode, ++correlationId);
            return response();
        }

        private ResponseDecoder response() {
            for (int cycle = 0; cycle < 100; cycle++) {
                agent.doWork();
                final List<ResponseDecoder> responses = connection.responses();
                if (!responses.isEmpty()) {
                    assertEquals(1, responses.size());
                    assertEquals(correlationId, responses.getFirst().correlationId());
                    return responses.getFirst();
                }
            }
            return fail("no response to request " + correlationId);
        }

        private void note(final String step) {
            if (trace.size() == TRACE) {
                trace.removeFirst();
            }
            trace.addLast("[t+" + (clock.time() - 1_700_000_000_000L) + "] " + step);
        }

        private static String describe(final ResponseDecoder response) {
            return switch (response.opcode()) {
                case Opcodes.RESPONSE_OK -> "OK";
                case Opcodes.RESPONSE_BOOLEAN -> Boolean.toString(response.booleanResult());
                case Opcodes.RESPONSE_NOT_FOUND -> "not found";
                case Opcodes.RESPONSE_VALUE -> response.valueLength() + "B";
                case Opcodes.RESPONSE_LONG -> Long.toString(response.longResult());
                case Opcodes.RESPONSE_ERROR -> ErrorCode.name(response.errorCode()) + " " +
                    response.errorMessageAsString();
                default -> "opcode " + response.opcode();
            };
        }
    }

    /** What the histories must have exercised between them. */
    private enum Coverage {
        EVICTION, EXPIRY, SNAPSHOT, RESTART, RESTART_WITH_THE_CLOCK_SET_BACK, EXPIRY_WHILE_DOWN, READ_MODIFY_WRITE
    }

    /** What clients were last told a key holds. */
    private record Expected(String value, long expireAtMs) {
    }
}
