package io.loomcache.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;

/**
 * Registered types and hand-made serialized forms for the Kryo codec's tests: every container, array and string-like
 * type Kryo serializes by default is registered, so hostile bytes can name any of them.
 */
final class CodecFixtures {
    /** Largest serialized form the test codecs write. */
    static final int MAX_LENGTH = 1 << 20;

    /** Registers every type the tests use, in a fixed order (so ids agree between codecs and stock Kryo). */
    static final Consumer<Kryo> REGISTRATIONS = CodecFixtures::register;

    enum Side { BUY, SELL }

    record Order(String instrument, long quantity, List<String> tags, Map<String, Integer> legs, int[] levels,
        Side side) {
    }

    /** A record without components: it serializes to no bytes at all. */
    record Marker() {
    }

    private CodecFixtures() {
    }

    static KryoCodec codec() {
        return new KryoCodec(REGISTRATIONS, MAX_LENGTH);
    }

    /** A Kryo as any other writer could configure it: stock serializers, the same registrations and ids. */
    static Kryo stockKryo() {
        final Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        REGISTRATIONS.accept(kryo);
        return kryo;
    }

    static byte[] stockBytes(final Object value) {
        final Output output = new Output(256, -1);
        stockKryo().writeClassAndObject(output, value);
        return output.toBytes();
    }

    /**
     * A form of a decoded value that {@code equals} compares by content and type: arrays, collections, maps, records
     * and string builders become lists, sets and maps of their parts, each tagged with the class it came from.
     */
    static Object comparable(final Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Enum<?> ||
            value instanceof BitSet || value instanceof Boolean || value instanceof Character) {
            return value;
        }
        final List<Object> parts = new ArrayList<>();
        parts.add(value.getClass().getName());
        if (value.getClass().isArray()) {
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                parts.add(comparable(java.lang.reflect.Array.get(value, i)));
            }
        } else if (value instanceof PriorityQueue<?> queue) {
            queue.stream().map(CodecFixtures::comparable).map(String::valueOf).sorted().forEach(parts::add);
        } else if (value instanceof Set<?> set) {
            final Set<Object> elements = new HashSet<>();
            set.forEach(element -> elements.add(comparable(element)));
            parts.add(elements);
        } else if (value instanceof java.util.Collection<?> collection) {
            collection.forEach(element -> parts.add(comparable(element)));
        } else if (value instanceof Map<?, ?> map) {
            final Map<Object, Object> entries = new HashMap<>();
            map.forEach((key, entry) -> entries.put(comparable(key), comparable(entry)));
            parts.add(entries);
        } else if (value instanceof CharSequence text) {
            parts.add(text.toString());
        } else if (value instanceof Record record) {
            for (final java.lang.reflect.RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    parts.add(comparable(component.getAccessor().invoke(record)));
                } catch (final ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        } else {
            throw new IllegalArgumentException("no comparable form for " + value.getClass());
        }
        return parts;
    }

    private static void register(final Kryo kryo) {
        for (final Class<?> type : List.of(byte[].class, short[].class, int[].class, long[].class, char[].class,
            float[].class, double[].class, boolean[].class, String[].class, Object[].class, Integer[].class)) {
            kryo.register(type);
        }
        for (final Class<?> type : List.of(ArrayList.class, LinkedList.class, ArrayDeque.class, HashSet.class,
            LinkedHashSet.class, TreeSet.class, PriorityQueue.class, HashMap.class, LinkedHashMap.class, TreeMap.class,
            ConcurrentHashMap.class, ConcurrentSkipListMap.class, Arrays.asList().getClass())) {
            kryo.register(type);
        }
        for (final Object immutable : List.of(List.of(), List.of(1), List.of(1, 2, 3), List.of(1, 2, 3).subList(0, 2),
            Set.of(), Set.of(1), Set.of(1, 2, 3), Map.of(), Map.of(1, 2), Map.of(1, 2, 3, 4))) {
            kryo.register(immutable.getClass());
        }
        for (final Class<?> type : List.of(BigInteger.class, BigDecimal.class, StringBuilder.class,
            StringBuffer.class, BitSet.class, Side.class, Order.class, Marker.class)) {
            kryo.register(type);
        }
    }

    /** Serialized forms written by hand, each opening with the registered id of a type; ids from {@link #stockKryo}. */
    static final class Forms {
        private final Kryo ids = stockKryo();
        private final Output output = new Output(64, -1);

        /** Starts a form with the class id of {@code type}. */
        Forms type(final Class<?> type) {
            output.writeVarInt(ids.getRegistration(type).getId() + 2, true);
            return this;
        }

        /** Kryo's null class id. */
        Forms nullClass() {
            output.writeVarInt(0, true);
            return this;
        }

        Forms varInt(final int value) {
            output.writeVarInt(value, true);
            return this;
        }

        Forms varIntFlag(final boolean flag, final int value) {
            output.writeVarIntFlag(flag, value, true);
            return this;
        }

        Forms raw(final byte... bytes) {
            output.writeBytes(bytes);
            return this;
        }

        Forms ascii(final String text) {
            output.writeString(text);
            return this;
        }

        byte[] bytes() {
            return output.toBytes();
        }
    }
}
