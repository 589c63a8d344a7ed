package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import io.loomcache.client.CodecFixtures.Forms;
import io.loomcache.client.CodecFixtures.Marker;

class KryoCodecTest {
    private static Forms form() {
        return new Forms();
    }

    private static Arguments hostile(final String what, final Forms form) {
        return Arguments.of(what, form.bytes());
    }

    /** Each form is a few bytes that declare a length far beyond them. */
    static Stream<Arguments> formsDeclaringMoreThanTheirBytes() {
        return Stream.of(
            hostile("String of Integer.MAX_VALUE - 1 chars in 6 bytes",
                form().type(String.class).varIntFlag(true, Integer.MAX_VALUE)),
            hostile("String of 300M chars", form().type(String.class).varIntFlag(true, 300_000_001)),
            hostile("StringBuilder of 300M chars", form().type(StringBuilder.class).varIntFlag(true, 300_000_001)),
            hostile("byte[600M]", form().type(byte[].class).varInt(600_000_001)),
            hostile("short[300M]", form().type(short[].class).varInt(300_000_001)),
            hostile("int[150M]", form().type(int[].class).varInt(150_000_001)),
            hostile("long[75M]", form().type(long[].class).varInt(75_000_001)),
            hostile("char[300M]", form().type(char[].class).varInt(300_000_001)),
            hostile("float[150M]", form().type(float[].class).varInt(150_000_001)),
            hostile("double[75M]", form().type(double[].class).varInt(75_000_001)),
            hostile("boolean[600M]", form().type(boolean[].class).varInt(600_000_001)),
            hostile("String[150M]", form().type(String[].class).varInt(150_000_001)),
            hostile("Object[150M]", form().type(Object[].class).varInt(150_000_001)),
            hostile("BigInteger of 600M bytes", form().type(BigInteger.class).varInt(600_000_001)),
            hostile("BigDecimal of 600M bytes", form().type(BigDecimal.class).varInt(600_000_001)),
            hostile("BitSet of 75M words", form().type(BitSet.class).varInt(75_000_000)),
            hostile("ArrayList of 150M", form().type(ArrayList.class).varIntFlag(false, 150_000_001)),
            hostile("ArrayList of 150M nulls in 6 bytes",
                form().type(ArrayList.class).varIntFlag(true, 150_000_001).nullClass()),
            hostile("ArrayList of 5M field-less records in 6 bytes",
                form().type(ArrayList.class).varIntFlag(true, 5_000_001).type(Marker.class).raw((byte)0)),
            hostile("HashSet of 50M holding one string",
                form().type(HashSet.class).varIntFlag(true, 50_000_001).type(String.class).raw((byte)0).ascii("a")),
            hostile("HashMap of 50M holding one entry",
                form().type(HashMap.class).varInt(50_000_001).type(String.class).ascii("k").type(String.class)
                    .ascii("v")),
            hostile("PriorityQueue of 150M", form().type(PriorityQueue.class).varIntFlag(false, 150_000_001)
                .nullClass()),
            hostile("Arrays.asList of 150M", form().type(Arrays.asList().getClass()).varIntFlag(false, 150_000_001)),
            hostile("List.of of 150M", form().type(List.of(1, 2, 3).getClass()).varIntFlag(false, 150_000_001)),
            Arguments.of("500 nested ArrayLists, each claiming the bytes left after it", nestedListsClaimingAll(500)));
    }

    /**
     * Lists nested {@code levels} deep, each declaring as many elements as there are bytes after its header, then
     * 60,000 bytes of padding: each length alone fits in the input, but together they claim the input 500 times.
     */
    private static byte[] nestedListsClaimingAll(final int levels) {
        final int padding = 60_000;
        final int[] claims = new int[levels];
        int after = padding;
        for (int level = levels - 1; level >= 0; level--) {
            claims[level] = after;
            after += 1 + new Output(8).writeVarIntFlag(false, after + 1, true);
        }
        final Forms form = form();
        for (int level = 0; level < levels; level++) {
            form.type(ArrayList.class).varIntFlag(false, claims[level] + 1);
        }
        return form.raw(new byte[padding]).bytes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formsDeclaringMoreThanTheirBytes")
    void shouldRefuseALengthBeyondTheBytesPresentWithoutAllocatingIt(final String what, final byte[] bytes) {
        final Decoding.Outcome outcome = Decoding.decode(CodecFixtures.codec(), bytes);

        assertTrue(Decoding.isRefusal(outcome.failure()), () -> what + " (" + bytes.length + " bytes): expected a " +
            "LoomSerializationException without an OutOfMemoryError behind it, got " + outcome);
        assertTrue(outcome.allocatedBytes() <= Decoding.allocationBound(bytes.length), () -> what + " (" +
            bytes.length + " bytes) allocated " + outcome.allocatedBytes() + " bytes, bound " +
            Decoding.allocationBound(bytes.length));
    }

    static Stream<Arguments> largeValidValues() {
        final Map<Integer, Integer> squares = new HashMap<>();
        final Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            squares.put(i, i * i);
            numbers.add(i);
        }
        return Stream.of(
            Arguments.of("ArrayList of 50,000 one-char strings", new ArrayList<>(Collections.nCopies(50_000, "a"))),
            Arguments.of("LinkedList of 50,000 small Integers", new LinkedList<>(Collections.nCopies(50_000, 7))),
            Arguments.of("HashMap of 20,000 Integers to Integers", squares),
            Arguments.of("HashSet of 20,000 Integers", numbers),
            Arguments.of("String of 100,000 ASCII chars", "x".repeat(100_000)),
            Arguments.of("String of 30,000 three-byte chars", "\u2713".repeat(30_000)),
            Arguments.of("long[20,000]", new long[20_000]),
            Arguments.of("ArrayList of 1,024 nulls in 4 bytes (the allowance)",
                new ArrayList<>(Collections.nCopies(ElementBudget.ALLOWANCE, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("largeValidValues")
    void shouldDecodeLargeValidFormsWithinTheSameAllocationBound(final String what, final Object value) {
        final KryoCodec codec = CodecFixtures.codec();
        final byte[] bytes = codec.serialize(value, "value");

        final Decoding.Outcome outcome = Decoding.decode(codec, bytes);

        assertNull(outcome.failure(), () -> what + ": " + outcome);
        assertEquals(CodecFixtures.comparable(value), CodecFixtures.comparable(outcome.value()), what);
        assertTrue(outcome.allocatedBytes() <= Decoding.allocationBound(bytes.length), () -> what + " (" +
            bytes.length + " bytes) allocated " + outcome.allocatedBytes() + " bytes, bound " +
            Decoding.allocationBound(bytes.length));
    }

    @Test
    void shouldRefuseToSerializeAFormWhoseCollectionsHoldMoreElementsThanAReaderAccepts() {
        final KryoCodec codec = CodecFixtures.codec();
        final List<Object> nulls = new ArrayList<>(Collections.nCopies(5_000, null));

        final LoomSerializationException refused = assertThrows(LoomSerializationException.class,
            () -> codec.serialize(nulls, "value"));

        assertTrue(refused.getMessage().startsWith("cannot serialize value of java.util.ArrayList: its containers " +
            "hold 5000 elements in 4 bytes"), refused.getMessage());
        assertTrue(Decoding.isRefusal(Decoding.decode(codec, CodecFixtures.stockBytes(nulls)).failure()),
            "the form a stock Kryo writes for it is refused on reading");
        assertEquals(List.of("still", "usable"), codec.deserialize(codec.serialize(new ArrayList<>(List.of("still",
            "usable")), "value"), Object.class));
    }

    @Test
    void shouldMapAStackOverflowFromDeeplyNestedInputToSerializationException() {
        final Forms form = form();
        for (int level = 0; level < 100_000; level++) {
            form.type(ArrayList.class).varIntFlag(false, 2);
        }
        final byte[] bytes = form.nullClass().bytes();

        final Decoding.Outcome outcome = Decoding.decode(CodecFixtures.codec(), bytes);

        assertTrue(Decoding.isRefusal(outcome.failure()), () -> "expected a LoomSerializationException, got " +
            outcome);
        assertInstanceOf(StackOverflowError.class, outcome.failure().getCause());
        assertTrue(outcome.failure().getMessage().startsWith("cannot deserialize java.lang.Object: " +
            "java.lang.StackOverflowError"), outcome.failure().getMessage());
        assertTrue(outcome.allocatedBytes() <= Decoding.allocationBound(bytes.length), () -> "allocated " +
            outcome.allocatedBytes() + " bytes, bound " + Decoding.allocationBound(bytes.length));
    }

    /** A value whose serializer throws what its id selects when read back. */
    record Exploding(int kind) {
    }

    private static final List<Supplier<Throwable>> THROWABLES = List.of(
        () -> new IllegalStateException("illegal state"), () -> new NullPointerException("null"),
        () -> new ClassCastException("cast"), () -> new NegativeArraySizeException("-1"),
        () -> new IndexOutOfBoundsException("index 7"), () -> new ArithmeticException("/ by zero"),
        () -> new StackOverflowError(), () -> new OutOfMemoryError("Java heap space"), () -> new AssertionError("no"),
        () -> new LinkageError("linkage"));

    private static final class ExplodingSerializer extends Serializer<Exploding> {
        private Throwable thrown;

        @Override
        public void write(final Kryo kryo, final Output output, final Exploding value) {
            output.writeVarInt(value.kind(), true);
        }

        @Override
        public Exploding read(final Kryo kryo, final Input input, final Class<? extends Exploding> type) {
            final int kind = input.readVarInt(true);
            if (kind < THROWABLES.size()) {
                thrown = THROWABLES.get(kind).get();
                sneakyThrow(thrown);
            }
            return new Exploding(kind);
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> void sneakyThrow(final Throwable throwable) throws E {
            throw (E)throwable;
        }
    }

    @Test
    void shouldMapEveryThrowableFromDecodingToSerializationExceptionKeepingItAsTheCause() {
        final ExplodingSerializer serializer = new ExplodingSerializer();
        final KryoCodec codec = new KryoCodec(kryo -> kryo.register(Exploding.class, serializer), 1024);

        for (int kind = 0; kind < THROWABLES.size(); kind++) {
            final byte[] bytes = codec.serialize(new Exploding(kind), "value");

            final LoomSerializationException refused = assertThrows(LoomSerializationException.class,
                () -> codec.deserialize(bytes, Exploding.class), "kind " + kind);

            assertSame(serializer.thrown, refused.getCause());
            assertTrue(refused.getMessage().startsWith("cannot deserialize " + Exploding.class.getName() + ": " +
                serializer.thrown.getClass().getName()), refused.getMessage());
            assertEquals(new Exploding(99), codec.deserialize(codec.serialize(new Exploding(99), "value"),
                Exploding.class), "a decode after a failed one");
        }
    }
}
