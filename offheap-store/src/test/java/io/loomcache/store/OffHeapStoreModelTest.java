package io.loomcache.store;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of every store operation, clock advances and sweeps, checked step by step against a HashMap
 * model ({@link StoreModel}) under each eviction policy, with a memory cap small enough to evict often.
 */
class OffHeapStoreModelTest {
    private static final int[] KEY_LENGTHS =
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16, 17, 20, 24, 31, 32, 33, 40, 48, 63, 64};
    private static final List<ByteKey> KEYS = keys();

    private final List<StoreModel> opened = new ArrayList<>();

    @Property(tries = 150)
    void shouldAgreeWithModelUnderLru(@ForAll("lruChains") final ActionChain<StoreModel> chain) {
        runAndClose(chain);
    }

    @Property(tries = 150)
    void shouldAgreeWithModelUnderLfu(@ForAll("lfuChains") final ActionChain<StoreModel> chain) {
        runAndClose(chain);
    }

    @Property(tries = 150)
    void shouldAgreeWithModelUnderNone(@ForAll("noneChains") final ActionChain<StoreModel> chain) {
        runAndClose(chain);
    }

    @Provide
    Arbitrary<ActionChain<StoreModel>> lruChains() {
        return chains(EvictionPolicy.LRU);
    }

    @Provide
    Arbitrary<ActionChain<StoreModel>> lfuChains() {
        return chains(EvictionPolicy.LFU);
    }

    @Provide
    Arbitrary<ActionChain<StoreModel>> noneChains() {
        return chains(EvictionPolicy.NONE);
    }

    private void runAndClose(final ActionChain<StoreModel> chain) {
        try {
            chain.withInvariant("accounting", StoreModel::checkInvariants).run().checkEveryKey(KEYS);
        } finally {
            opened.forEach(StoreModel::close);
            opened.clear();
        }
    }

    private Arbitrary<ActionChain<StoreModel>> chains(final EvictionPolicy policy) {
        return Arbitraries.longs().flatMap(seed -> ActionChain.<StoreModel>startWith(() -> open(policy, seed))
            .withAction(4, put())
            .withAction(2, putIfAbsent())
            .withAction(2, replace())
            .withAction(4, get())
            .withAction(2, remove())
            .withAction(1, containsKey())
            .withAction(2, advanceClock())
            .withAction(1, sweep())
            .withAction(1, Action.just("liveSize", Transformer.mutate("liveSize", StoreModel::liveSize)))
            .withAction(1, Action.just("clear", Transformer.mutate("clear", StoreModel::clear)))
            .withMaxTransformations(120));
    }

    private StoreModel open(final EvictionPolicy policy, final long seed) {
        final StoreModel model = new StoreModel(policy, seed);
        opened.add(model);
        return model;
    }

    private static Action.Independent<StoreModel> put() {
        return () -> Combinators.combine(key(), value(), ttlMs()).as((key, value, ttl) ->
            Transformer.mutate("put " + key + " " + value.length + "B ttl " + ttl, m -> m.put(key, value, ttl)));
    }

    private static Action.Independent<StoreModel> putIfAbsent() {
        return () -> Combinators.combine(key(), value(), ttlMs()).as((key, value, ttl) -> Transformer.mutate(
            "putIfAbsent " + key + " " + value.length + "B ttl " + ttl, m -> m.putIfAbsent(key, value, ttl)));
    }

    private static Action.Independent<StoreModel> replace() {
        return () -> Combinators.combine(key(), value(), Arbitraries.of(true, false), value(), ttlMs())
            .as((key, guess, expectCurrent, value, ttl) -> Transformer.mutate(
                "replace " + key + (expectCurrent ? " current" : " guess " + guess.length + "B") + " with " +
                value.length + "B ttl " + ttl,
                m -> m.replace(key, guess, expectCurrent, value, ttl)));
    }

    private static Action.Independent<StoreModel> get() {
        return () -> Combinators.combine(key(), Arbitraries.of(true, false)).as((key, view) ->
            Transformer.mutate((view ? "getView " : "get ") + key, m -> m.get(key, view)));
    }

    private static Action.Independent<StoreModel> remove() {
        return () -> key().map(key -> Transformer.mutate("remove " + key, m -> m.remove(key)));
    }

    private static Action.Independent<StoreModel> containsKey() {
        return () -> key().map(key -> Transformer.mutate("containsKey " + key, m -> m.containsKey(key)));
    }

    private static Action.Independent<StoreModel> advanceClock() {
        return () -> Arbitraries.longs().between(0, 150)
            .map(ms -> Transformer.mutate("advance " + ms + "ms", m -> m.advanceClock(ms)));
    }

    private static Action.Independent<StoreModel> sweep() {
        return () -> Arbitraries.integers().between(1, 40)
            .map(slots -> Transformer.mutate("sweep " + slots, m -> m.sweep(slots)));
    }

    private static Arbitrary<ByteKey> key() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<byte[]> value() {
        return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(new byte[0])),
            Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
            Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(StoreModel.MAX_VALUE_LENGTH)),
            Tuple.of(1, Arbitraries.bytes().array(byte[].class)
                .ofMinSize(StoreModel.MAX_VALUE_LENGTH - 2).ofMaxSize(StoreModel.MAX_VALUE_LENGTH + 2)));
    }

    private static Arbitrary<Long> ttlMs() {
        return Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(0L)),
            Tuple.of(2, Arbitraries.longs().between(1, 300)));
    }

    private static List<ByteKey> keys() {
        final List<ByteKey> keys = new ArrayList<>();
        for (int i = 0; i < KEY_LENGTHS.length; i++) {
            keys.add(new ByteKey(StoreFixtures.filled(KEY_LENGTHS[i], i)));
        }
        return keys;
    }
}
