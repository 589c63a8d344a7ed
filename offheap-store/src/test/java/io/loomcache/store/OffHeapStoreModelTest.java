package io.loomcache.store;

import java.util.ArrayList;
import java.util.List;

import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of every store operation, clock advances and sweeps, checked step by step against a HashMap
 * model ({@link StoreModel}) under each eviction policy, with a memory cap small enough to evict often.
 */
class OffHeapStoreModelTest {
    private static final int[] KEY_LENGTHS =
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16, 17, 20, 24, 31, 32, 33, 40, 48, 63, 64};
    private static final List<ByteKey> KEYS = keys();
    private static final int MAX_STEPS = 120;
    /** Weights of put, putIfAbsent, replace, get, remove, containsKey, advance, sweep, liveSize, clear. */
    private static final int[] WEIGHTS = {4, 2, 2, 4, 2, 1, 2, 1, 1, 1};

    @Test
    void shouldAgreeWithModelUnderLru() {
        Property.forAll(150, g -> run(g, EvictionPolicy.LRU));
    }

    @Test
    void shouldAgreeWithModelUnderLfu() {
        Property.forAll(150, g -> run(g, EvictionPolicy.LFU));
    }

    @Test
    void shouldAgreeWithModelUnderNone() {
        Property.forAll(150, g -> run(g, EvictionPolicy.NONE));
    }

    /** Runs up to {@value #MAX_STEPS} steps (fewer only while shrinking), checking the invariants after each. */
    private static void run(final Gen g, final EvictionPolicy policy) {
        final List<String> steps = new ArrayList<>();
        try (StoreModel model = new StoreModel(policy, g.anyLong())) {
            final int count = g.size(MAX_STEPS);
            for (int i = 0; i < count; i++) {
                steps.add(step(g, model));
                model.checkInvariants();
            }
            model.checkEveryKey(KEYS);
        } catch (final RuntimeException | AssertionError e) {
            throw new AssertionError(policy + " after " + steps.size() + " steps " + steps + ": " + e, e);
        }
    }

    /** Applies one random operation to the store and the model and says what it was. */
    private static String step(final Gen g, final StoreModel m) {
        final ByteKey key = g.choice(KEYS);
        return switch (g.weighted(WEIGHTS)) {
            case 0 -> {
                final byte[] value = value(g);
                final long ttl = ttlMs(g);
                m.put(key, value, ttl);
                yield "put " + key + " " + value.length + "B ttl " + ttl;
            }
            case 1 -> {
                final byte[] value = value(g);
                final long ttl = ttlMs(g);
                m.putIfAbsent(key, value, ttl);
                yield "putIfAbsent " + key + " " + value.length + "B ttl " + ttl;
            }
            case 2 -> {
                final byte[] guess = value(g);
                final boolean expectCurrent = g.bool();
                final byte[] value = value(g);
                final long ttl = ttlMs(g);
                m.replace(key, guess, expectCurrent, value, ttl);
                yield "replace " + key + (expectCurrent ? " current" : " guess " + guess.length + "B") + " with "
                    + value.length + "B ttl " + ttl;
            }
            case 3 -> {
                final boolean view = g.bool();
                m.get(key, view);
                yield (view ? "getView " : "get ") + key;
            }
            case 4 -> {
                m.remove(key);
                yield "remove " + key;
            }
            case 5 -> {
                m.containsKey(key);
                yield "containsKey " + key;
            }
            case 6 -> {
                final long ms = g.longs(0, 150);
                m.advanceClock(ms);
                yield "advance " + ms + "ms";
            }
            case 7 -> {
                final int slots = g.ints(1, 40);
                m.sweep(slots);
                yield "sweep " + slots;
            }
            case 8 -> {
                m.liveSize();
                yield "liveSize";
            }
            default -> {
                m.clear();
                yield "clear";
            }
        };
    }

    private static byte[] value(final Gen g) {
        return switch (g.weighted(1, 6, 2, 1)) {
            case 0 -> new byte[0];
            case 1 -> g.bytes(40);
            case 2 -> g.bytes(StoreModel.MAX_VALUE_LENGTH);
            default -> g.bytes(StoreModel.MAX_VALUE_LENGTH - 2, StoreModel.MAX_VALUE_LENGTH + 2);
        };
    }

    private static long ttlMs(final Gen g) {
        return g.weighted(3, 2) == 0 ? 0L : g.longs(1, 300);
    }

    private static List<ByteKey> keys() {
        final List<ByteKey> keys = new ArrayList<>();
        for (int i = 0; i < KEY_LENGTHS.length; i++) {
            keys.add(new ByteKey(StoreFixtures.filled(KEY_LENGTHS[i], i)));
        }
        return keys;
    }
}
