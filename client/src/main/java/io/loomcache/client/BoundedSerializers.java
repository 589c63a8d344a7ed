package io.loomcache.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

import com.esotericsoftware.kryo.Kryo;
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
 * Replacements for the default serializers Kryo 5.6 picks for collections, maps and object, string and boolean
 * arrays. Each reads and writes exactly the bytes of the serializer it replaces (forms stay readable by stock Kryo and
 * the other way round), but counts a container's declared length against the form's {@link ElementBudget} before the
 * container is allocated, and counts the size of every container it writes so the codec can refuse a form no reader
 * would accept.
 */
final class BoundedSerializers {
    private BoundedSerializers() {
    }

    /**
     * The bounded replacement of a default serializer, or the serializer itself when it sizes nothing from the bytes
     * (or its input reads are bounded by {@link BoundedInput}).
     *
     * @param chosen the serializer Kryo chose for {@code type}.
     * @param kryo the Kryo registering {@code type}.
     * @param type the registered type.
     * @param elements the budget of that Kryo.
     * @return the serializer to register.
     */
    @SuppressWarnings("rawtypes")
    static Serializer bounded(final Serializer chosen, final Kryo kryo, final Class type,
        final ElementBudget elements) {
        final Class<?> kind = chosen.getClass();
        final Serializer replacement;
        if (kind == CollectionSerializer.class) {
            replacement = new GeneralCollections(elements);
        } else if (kind == MapSerializer.class) {
            replacement = new GeneralMaps(elements);
        } else if (kind == TreeSetSerializer.class) {
            replacement = new TreeSets(elements);
        } else if (kind == PriorityQueueSerializer.class) {
            replacement = new PriorityQueues(elements);
        } else if (kind == ArraysAsListSerializer.class) {
            replacement = new ArraysAsLists(elements);
        } else if (kind == TreeMapSerializer.class) {
            replacement = new TreeMaps(elements);
        } else if (kind == ConcurrentSkipListMapSerializer.class) {
            replacement = new SkipListMaps(elements);
        } else if (kind == JdkImmutableListSerializer.class) {
            replacement = new ImmutableLists(elements);
        } else if (kind == JdkImmutableSetSerializer.class) {
            replacement = new ImmutableSets(elements);
        } else if (kind == JdkImmutableMapSerializer.class) {
            replacement = new ImmutableMaps(elements);
        } else if (kind == ObjectArraySerializer.class) {
            replacement = new ObjectArrays(kryo, type, elements);
        } else if (kind == StringArraySerializer.class) {
            replacement = new StringArrays(elements);
        } else if (kind == BooleanArraySerializer.class) {
            replacement = new BooleanArrays(elements);
        } else {
            replacement = chosen;
        }
        return replacement;
    }

    /** Counts the length an array serializer is about to read (a varint of length plus one, 0 for null). */
    private static void declarePeekedLength(final Input input, final ElementBudget elements) {
        final int lengthPlusOne = BoundedInput.peekVarInt(input);
        if (lengthPlusOne != Kryo.NULL) {
            elements.declare(lengthPlusOne - 1);
        }
    }

    /** ArrayList, HashSet, LinkedList and every other collection Kryo's CollectionSerializer handles. */
    static final class GeneralCollections extends CollectionSerializer<Collection<Object>> {
        private final ElementBudget elements;

        GeneralCollections(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final Collection<Object> collection) {
            if (collection != null) {
                elements.declare(collection.size());
            }
            super.write(kryo, output, collection);
        }

        @Override
        protected Collection<Object> create(final Kryo kryo, final Input input,
            final Class<? extends Collection<Object>> type, final int size) {
            elements.declare(size);
            return super.create(kryo, input, type, size);
        }
    }

    /** HashMap, LinkedHashMap and every other map Kryo's MapSerializer handles. */
    static final class GeneralMaps extends MapSerializer<Map<Object, Object>> {
        private final ElementBudget elements;

        GeneralMaps(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final Map<Object, Object> map) {
            if (map != null) {
                elements.declare(map.size());
            }
            super.write(kryo, output, map);
        }

        @Override
        protected Map<Object, Object> create(final Kryo kryo, final Input input,
            final Class<? extends Map<Object, Object>> type, final int size) {
            elements.declare(size);
            return super.create(kryo, input, type, size);
        }
    }

    /** TreeSet with its comparator. */
    @SuppressWarnings("rawtypes")
    static final class TreeSets extends TreeSetSerializer {
        private final ElementBudget elements;

        TreeSets(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final TreeSet set) {
            if (set != null) {
                elements.declare(set.size());
            }
            super.write(kryo, output, set);
        }

        @Override
        protected TreeSet create(final Kryo kryo, final Input input, final Class<? extends TreeSet> type,
            final int size) {
            elements.declare(size);
            return super.create(kryo, input, type, size);
        }
    }

    /** PriorityQueue with its comparator. */
    @SuppressWarnings("rawtypes")
    static final class PriorityQueues extends PriorityQueueSerializer {
        private final ElementBudget elements;

        PriorityQueues(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final PriorityQueue queue) {
            if (queue != null) {
                elements.declare(queue.size());
            }
            super.write(kryo, output, queue);
        }

        @Override
        protected PriorityQueue create(final Kryo kryo, final Input input, final Class<? extends PriorityQueue> type,
            final int size) {
            elements.declare(size);
            return super.create(kryo, input, type, size);
        }
    }

    /** The fixed-size list of {@code Arrays.asList}. */
    @SuppressWarnings("rawtypes")
    static final class ArraysAsLists extends ArraysAsListSerializer {
        private final ElementBudget elements;

        ArraysAsLists(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final List list) {
            if (list != null) {
                elements.declare(list.size());
            }
            super.write(kryo, output, list);
        }

        @Override
        protected List create(final Kryo kryo, final Input input, final Class type, final int size) {
            elements.declare(size);
            return super.create(kryo, input, type, size);
        }
    }

    /** TreeMap with its comparator. */
    @SuppressWarnings("rawtypes")
    static final class TreeMaps extends TreeMapSerializer {
        private final ElementBudget elements;

        TreeMaps(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final TreeMap map) {
            if (map != null) {
                elements.declare(map.size());
            }
            super.write(kryo, output, map);
        }

        @Override
        protected TreeMap create(final Kryo kryo, final Input input, final Class<? extends TreeMap> type,
            final int size) {
            elements.declare(size);
            return super.create(kryo, input, type, size);
        }
    }

    /** ConcurrentSkipListMap with its comparator. */
    @SuppressWarnings("rawtypes")
    static final class SkipListMaps extends ConcurrentSkipListMapSerializer {
        private final ElementBudget elements;

        SkipListMaps(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final ConcurrentSkipListMap map) {
            if (map != null) {
                elements.declare(map.size());
            }
            super.write(kryo, output, map);
        }

        @Override
        protected ConcurrentSkipListMap create(final Kryo kryo, final Input input,
            final Class<? extends ConcurrentSkipListMap> type, final int size) {
            elements.declare(size);
            return super.create(kryo, input, type, size);
        }
    }

    /** {@code List.of} and {@code List.copyOf} lists, read through an ArrayList as Kryo's own serializer does. */
    static final class ImmutableLists extends CollectionSerializer<List<Object>> {
        private final ElementBudget elements;

        ImmutableLists(final ElementBudget elements) {
            this.elements = elements;
            setElementsCanBeNull(false);
        }

        @Override
        public void write(final Kryo kryo, final Output output, final List<Object> list) {
            if (list != null) {
                elements.declare(list.size());
            }
            super.write(kryo, output, list);
        }

        @Override
        protected List<Object> create(final Kryo kryo, final Input input, final Class<? extends List<Object>> type,
            final int size) {
            elements.declare(size);
            return new ArrayList<>(size);
        }

        @Override
        public List<Object> read(final Kryo kryo, final Input input, final Class<? extends List<Object>> type) {
            final List<Object> list = super.read(kryo, input, type);
            return list == null ? null : List.of(list.toArray());
        }

        @Override
        protected List<Object> createCopy(final Kryo kryo, final List<Object> original) {
            return new ArrayList<>(original.size());
        }

        @Override
        public List<Object> copy(final Kryo kryo, final List<Object> original) {
            return List.copyOf(super.copy(kryo, original));
        }
    }

    /** {@code Set.of} and {@code Set.copyOf} sets, read through a HashSet as Kryo's own serializer does. */
    static final class ImmutableSets extends CollectionSerializer<Set<Object>> {
        private final ElementBudget elements;

        ImmutableSets(final ElementBudget elements) {
            this.elements = elements;
            setElementsCanBeNull(false);
        }

        @Override
        public void write(final Kryo kryo, final Output output, final Set<Object> set) {
            if (set != null) {
                elements.declare(set.size());
            }
            super.write(kryo, output, set);
        }

        @Override
        protected Set<Object> create(final Kryo kryo, final Input input, final Class<? extends Set<Object>> type,
            final int size) {
            elements.declare(size);
            return new HashSet<>();
        }

        @Override
        public Set<Object> read(final Kryo kryo, final Input input, final Class<? extends Set<Object>> type) {
            final Set<Object> set = super.read(kryo, input, type);
            return set == null ? null : Set.of(set.toArray());
        }

        @Override
        protected Set<Object> createCopy(final Kryo kryo, final Set<Object> original) {
            return new HashSet<>();
        }

        @Override
        public Set<Object> copy(final Kryo kryo, final Set<Object> original) {
            return Set.copyOf(super.copy(kryo, original));
        }
    }

    /** {@code Map.of} and {@code Map.copyOf} maps, read through a HashMap as Kryo's own serializer does. */
    static final class ImmutableMaps extends MapSerializer<Map<Object, Object>> {
        private final ElementBudget elements;

        ImmutableMaps(final ElementBudget elements) {
            this.elements = elements;
            setKeysCanBeNull(false);
            setValuesCanBeNull(false);
        }

        @Override
        public void write(final Kryo kryo, final Output output, final Map<Object, Object> map) {
            if (map != null) {
                elements.declare(map.size());
            }
            super.write(kryo, output, map);
        }

        @Override
        protected Map<Object, Object> create(final Kryo kryo, final Input input,
            final Class<? extends Map<Object, Object>> type, final int size) {
            elements.declare(size);
            return new HashMap<>();
        }

        @Override
        public Map<Object, Object> read(final Kryo kryo, final Input input,
            final Class<? extends Map<Object, Object>> type) {
            final Map<Object, Object> map = super.read(kryo, input, type);
            return map == null ? null : Map.copyOf(map);
        }

        @Override
        protected Map<Object, Object> createCopy(final Kryo kryo, final Map<Object, Object> original) {
            return new HashMap<>();
        }

        @Override
        public Map<Object, Object> copy(final Kryo kryo, final Map<Object, Object> original) {
            return Map.copyOf(super.copy(kryo, original));
        }
    }

    /** Arrays of objects ({@code Object[]}, {@code Integer[]}, {@code Order[]}, ...). */
    @SuppressWarnings("rawtypes")
    static final class ObjectArrays extends ObjectArraySerializer {
        private final ElementBudget elements;

        ObjectArrays(final Kryo kryo, final Class type, final ElementBudget elements) {
            super(kryo, type);
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final Object[] array) {
            if (array != null) {
                elements.declare(array.length);
            }
            super.write(kryo, output, array);
        }

        @Override
        public Object[] read(final Kryo kryo, final Input input, final Class type) {
            declarePeekedLength(input, elements);
            return super.read(kryo, input, type);
        }
    }

    /** {@code String[]}. */
    @SuppressWarnings("rawtypes")
    static final class StringArrays extends StringArraySerializer {
        private final ElementBudget elements;

        StringArrays(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final String[] array) {
            if (array != null) {
                elements.declare(array.length);
            }
            super.write(kryo, output, array);
        }

        @Override
        public String[] read(final Kryo kryo, final Input input, final Class type) {
            declarePeekedLength(input, elements);
            return super.read(kryo, input, type);
        }
    }

    /** {@code boolean[]}, which Kryo allocates itself instead of through the input. */
    @SuppressWarnings("rawtypes")
    static final class BooleanArrays extends BooleanArraySerializer {
        private final ElementBudget elements;

        BooleanArrays(final ElementBudget elements) {
            this.elements = elements;
        }

        @Override
        public void write(final Kryo kryo, final Output output, final boolean[] array) {
            if (array != null) {
                elements.declare(array.length);
            }
            super.write(kryo, output, array);
        }

        @Override
        public boolean[] read(final Kryo kryo, final Input input, final Class type) {
            declarePeekedLength(input, elements);
            return super.read(kryo, input, type);
        }
    }
}
