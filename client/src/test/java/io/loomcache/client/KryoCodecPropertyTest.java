package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.esotericsoftware.kryo.io.Output;

import io.loomcache.client.CodecFixtures.Marker;
import io.loomcache.client.CodecFixtures.Order;
import io.loomcache.client.CodecFixtures.Side;

/**
 * Seeded properties of decoding: whatever the bytes (random, or a valid form truncated or mutated), decoding either
 * returns an object or throws {@link LoomSerializationException}, and allocates at most
 * {@link Decoding#allocationBound(int)}; valid forms round-trip. A failure names its seed: rerun one with
 * {@code -Dloomcache.kryo.seed=N}.
 */
class KryoCodecPropertyTest {
    private static final int SEEDS = Integer.getInteger("loomcache.kryo.seeds", 3_000);
    private static final Long ONE_SEED = Long.getLong("loomcache.kryo.seed");
    private static final int[] BIG_LENGTHS = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 600_000_001, 150_000_001,
        1 << 20, 65_537};

    private final KryoCodec codec = CodecFixtures.codec();
    private final int[] ids = registeredIds();

    private static int[] registeredIds() {
        final com.esotericsoftware.kryo.Kryo kryo = CodecFixtures.stockKryo();
        final int[] registered = new int[kryo.getNextRegistrationId()];
        for (int id = 0; id < registered.length; id++) {
            registered[id] = id;
        }
        return registered;
    }

    @Test
    void shouldOnlyReturnOrRefuseAndStayWithinTheAllocationBoundWhateverTheBytes() {
        final long first = ONE_SEED == null ? 0 : ONE_SEED;
        final long last = ONE_SEED == null ? SEEDS : ONE_SEED + 1;
        for (long seed = first; seed < last; seed++) {
            final Random random = new Random(seed);
            final byte[] bytes = switch ((int)(seed % 3)) {
                case 0 -> randomForm(random);
                case 1 -> truncated(random, validForm(random, seed));
                default -> mutated(random, validForm(random, seed));
            };
            check(seed, bytes);
        }
    }

    private byte[] validForm(final Random random, final long seed) {
        final Object value = new Values(random).value(3);
        final byte[] bytes = codec.serialize(value, "value");
        final Object decoded = codec.deserialize(bytes, Object.class);
        assertEquals(CodecFixtures.comparable(value), CodecFixtures.comparable(decoded), "seed " + seed +
            ": a valid form did not round-trip");
        return bytes;
    }

    private void check(final long seed, final byte[] bytes) {
        final Decoding.Outcome outcome = Decoding.decode(codec, bytes);
        if (outcome.failure() != null && !Decoding.isRefusal(outcome.failure())) {
            fail("seed " + seed + ": decoding " + HexFormat.of().formatHex(bytes) + " threw " + outcome.failure(),
                outcome.failure());
        }
        if (outcome.allocatedBytes() > Decoding.allocationBound(bytes.length)) {
            fail("seed " + seed + ": decoding " + bytes.length + " bytes " + HexFormat.of().formatHex(bytes) +
                " allocated " + outcome.allocatedBytes() + " bytes, bound " + Decoding.allocationBound(bytes.length) +
                " (outcome " + outcome + ")");
        }
    }

    /** A registered class id, then random bytes with the odd huge varint among them. */
    private byte[] randomForm(final Random random) {
        final Output output = new Output(64, -1);
        output.writeVarInt(ids[random.nextInt(ids.length)] + 2, true);
        final int parts = 1 + random.nextInt(12);
        for (int part = 0; part < parts; part++) {
            switch (random.nextInt(4)) {
                case 0 -> output.writeVarInt(BIG_LENGTHS[random.nextInt(BIG_LENGTHS.length)], true);
                case 1 -> output.writeVarIntFlag(random.nextBoolean(), BIG_LENGTHS[random.nextInt(BIG_LENGTHS.length)],
                    true);
                case 2 -> output.writeVarInt(ids[random.nextInt(ids.length)] + 2, true);
                default -> {
                    final byte[] noise = new byte[1 + random.nextInt(8)];
                    random.nextBytes(noise);
                    output.writeBytes(noise);
                }
            }
        }
        return output.toBytes();
    }

    private static byte[] truncated(final Random random, final byte[] valid) {
        return Arrays.copyOf(valid, random.nextInt(valid.length));
    }

    /** Overwrites, inserts or deletes a few bytes, or plants a huge varint. */
    private static byte[] mutated(final Random random, final byte[] valid) {
        byte[] bytes = valid.clone();
        final int mutations = 1 + random.nextInt(4);
        for (int mutation = 0; mutation < mutations && bytes.length > 0; mutation++) {
            final int at = random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = (byte)random.nextInt(256);
                case 1 -> {
                    final Output big = new Output(5);
                    big.writeVarInt(BIG_LENGTHS[random.nextInt(BIG_LENGTHS.length)], true);
                    bytes = splice(bytes, at, big.toBytes(), random.nextBoolean() ? 0 : 1);
                }
                case 2 -> bytes = splice(bytes, at, new byte[] {(byte)random.nextInt(256)}, 0);
                default -> bytes = splice(bytes, at, new byte[0], 1);
            }
        }
        return bytes;
    }

    private static byte[] splice(final byte[] bytes, final int at, final byte[] inserted, final int removed) {
        final int kept = Math.min(removed, bytes.length - at);
        final byte[] result = new byte[bytes.length - kept + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at + kept, result, at + inserted.length, bytes.length - at - kept);
        return result;
    }

    /** Random values of the registered types, nested a few levels. */
    private record Values(Random random) {
        Object value(final int depth) {
            final int kinds = depth == 0 ? 8 : 20;
            return switch (random.nextInt(kinds)) {
                case 0 -> text();
                case 1 -> random.nextInt();
                case 2 -> random.nextLong();
                case 3 -> bytes();
                case 4 -> new int[] {random.nextInt(), random.nextInt(100)};
                case 5 -> new BigDecimal(BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(80)),
                    random.nextInt(10));
                case 6 -> random.nextBoolean() ? Side.BUY : Side.SELL;
                case 7 -> new StringBuilder(text());
                case 8 -> fill(new ArrayList<>(), depth);
                case 9 -> fill(new LinkedList<>(), depth);
                case 10 -> fill(new HashSet<>(), depth);
                case 11 -> map(new HashMap<>(), depth);
                case 12 -> map(new TreeMap<>(), depth);
                case 13 -> List.copyOf(fill(new ArrayList<>(), depth).stream().filter(v -> v != null).toList());
                case 14 -> fill(new ArrayList<>(), depth).toArray();
                case 15 -> new String[] {text(), null, text()};
                case 16 -> order();
                case 17 -> Arrays.asList(fill(new ArrayList<>(), depth).toArray());
                case 18 -> bits();
                default -> new PriorityQueue<>(List.of(text(), text(), text()));
            };
        }

        private <C extends java.util.Collection<Object>> C fill(final C collection, final int depth) {
            final int size = random.nextInt(6);
            for (int i = 0; i < size; i++) {
                collection.add(random.nextInt(8) == 0 ? null : random.nextInt(8) == 0 ? new Marker() :
                    value(depth - 1));
            }
            return collection;
        }

        private Map<Object, Object> map(final Map<Object, Object> map, final int depth) {
            final int size = random.nextInt(5);
            for (int i = 0; i < size; i++) {
                map.put(text(), value(depth - 1));
            }
            return map;
        }

        private Order order() {
            return new Order(text(), random.nextLong(), List.of(text(), text()), Map.of(text(), random.nextInt()),
                new int[] {random.nextInt()}, Side.SELL);
        }

        private BitSet bits() {
            final BitSet bits = new BitSet();
            bits.set(random.nextInt(300));
            return bits;
        }

        private byte[] bytes() {
            final byte[] bytes = new byte[random.nextInt(10)];
            random.nextBytes(bytes);
            return bytes;
        }

        private String text() {
            final int length = random.nextInt(12);
            final StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(4) == 0 ? (char)(0x80 + random.nextInt(0x3000)) :
                    (char)('a' + random.nextInt(26)));
            }
            return text.toString();
        }
    }
}
