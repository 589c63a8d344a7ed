package io.loomcache.client;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ArraysAsListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ConcurrentSkipListMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeSetSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.JdkImmutableListSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.JdkImmutableMapSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.JdkImmutableSetSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;

/**
 * Bounds the default serializers Kryo 5.6 picks for collections, maps and object, string and boolean arrays. Each is
 * wrapped, so it reads and writes exactly its own bytes (forms stay readable by stock Kryo and the other way round),
 * but the length it reads first (a varint of length plus one, 0 for null) is counted against the form's
 * {@link ElementBudget} before the container is allocated, and the size of every container it writes is counted so
 * the codec can refuse a form no reader would accept.
 */
final class BoundedSerializers {
    /**
     * The serializers that read a container's length first and size the container from it: ArrayList, HashSet and
     * every other collection; HashMap and every other map; TreeSet, PriorityQueue, TreeMap and ConcurrentSkipListMap
     * with their comparators; {@code Arrays.asList}; {@code List.of}, {@code Set.of} and {@code Map.of}; arrays of
     * objects and strings; and {@code boolean[]}, which Kryo allocates itself instead of through the input.
     */
    private static final Set<Class<?>> CONTAINER_SERIALIZERS = Set.of(CollectionSerializer.class,
        MapSerializer.class, TreeSetSerializer.class, PriorityQueueSerializer.class, ArraysAsListSerializer.class,
        TreeMapSerializer.class, ConcurrentSkipListMapSerializer.class, JdkImmutableListSerializer.class,
        JdkImmutableSetSerializer.class, JdkImmutableMapSerializer.class, ObjectArraySerializer.class,
        StringArraySerializer.class, BooleanArraySerializer.class);

    private BoundedSerializers() {
    }

    /**
     * The bounded wrapper of a default serializer, or the serializer itself when it sizes nothing from the bytes
     * (or its input reads are bounded by {@link BoundedInput}).
     *
     * @param chosen the serializer Kryo chose for a registered type.
     * @param elements the budget of the Kryo registering the type.
     * @return the serializer to register.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Serializer bounded(final Serializer chosen, final ElementBudget elements) {
        return CONTAINER_SERIALIZERS.contains(chosen.getClass()) ? new Containers(chosen, elements) : chosen;
    }

    /** A container serializer of Kryo's that counts the length of each container it reads or writes. */
    static final class Containers extends Serializer<Object> {
        private final Serializer<Object> serializer;
        private final ElementBudget elements;

        Containers(final Serializer<Object> serializer, final ElementBudget elements) {
            super(serializer.getAcceptsNull(), serializer.isImmutable());
            this.serializer = serializer;
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final Object container) {
            if (container != null) {
                elements.declare(size(container));
            }
            serializer.write(kryo, output, container);
        }

        @Override
        public Object read(final Kryo kryo, final Input input, final Class<?> type) {
            if (!(input instanceof BoundedInput bounded)) {
                throw new KryoException("a container's length can be checked before allocating only in a " +
                    "BoundedInput");
            }
            bounded.declareNextLength(elements);
            return serializer.read(kryo, input, type);
        }

        @Override
        public Object copy(final Kryo kryo, final Object original) {
            return serializer.copy(kryo, original);
        }

        private static int size(final Object container) {
            if (container instanceof Collection<?> collection) {
                return collection.size();
            }
            if (container instanceof Map<?, ?> map) {
                return map.size();
            }
            return Array.getLength(container);
        }
    }
}
