package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
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
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.esotericsoftware.kryo.io.Input;

import io.loomcache.client.CodecFixtures.Marker;
import io.loomcache.client.CodecFixtures.Order;
import io.loomcache.client.CodecFixtures.Side;

/** The codec writes and reads exactly the bytes a stock Kryo with the same registrations writes and reads. */
class KryoCodecCompatibilityTest {
    static Stream<Object> values() {
        final BitSet bits = new BitSet();
        bits.set(3);
        bits.set(700);
        return Stream.of("text", "ünïcödé ✓", "", new StringBuilder("builder"), new StringBuffer("buffer"),
            new byte[] {1, -2, 3}, new short[] {-1, 300}, new int[] {1, -2, Integer.MAX_VALUE},
            new long[] {Long.MIN_VALUE, 5}, new char[] {'a', 'ß'}, new float[] {1.5f}, new double[] {-0.25},
            new boolean[] {true, false, true}, new String[] {"a", null, "c"}, new Object[] {"a", 1, null, 2L},
            new Integer[] {1, null}, new ArrayList<>(List.of("a", "b")), new LinkedList<>(List.of(1, 2)),
            new ArrayDeque<>(List.of(3, 4)), new HashSet<>(List.of("x")), new LinkedHashSet<>(List.of(1, 2)),
            new TreeSet<>(List.of("b", "a")), new PriorityQueue<>(List.of("q", "p")), new HashMap<>(Map.of("k", 1)),
            new LinkedHashMap<>(Map.of(1, "v")), new TreeMap<>(Map.of("b", 2, "a", 1)),
            new ConcurrentHashMap<>(Map.of("c", 3)), new ConcurrentSkipListMap<>(Map.of(1, 1)),
            Arrays.asList("as", "list"), List.of(), List.of(1), List.of(1, 2, 3), List.of(1, 2, 3).subList(0, 2),
            Set.of(), Set.of(1), Set.of(1, 2, 3), Map.of(), Map.of(1, 2), Map.of(1, 2, 3, 4),
            new BigInteger("123456789012345678901234567890"), new BigDecimal("-12.345"), bits, Side.BUY,
            new Order("VOD.L", 10, List.of("a", "b"), Map.of("leg", 1), new int[] {7}, Side.SELL), new Marker(),
            new ArrayList<>(Collections.nCopies(5, null)), new ArrayList<>(Collections.nCopies(10, new Marker())),
            new ArrayList<>(List.of(new ArrayList<>(List.of(new HashMap<>(Map.of("deep", new int[] {1})))))));
    }

    @ParameterizedTest
    @MethodSource("values")
    void shouldWriteTheBytesStockKryoWritesAndReadThemBackAsStockKryoDoes(final Object value) {
        final KryoCodec codec = CodecFixtures.codec();
        final byte[] stock = CodecFixtures.stockBytes(value);

        final byte[] ours = codec.serialize(value, "value");

        assertArrayEquals(stock, ours);
        final Object stockRead = CodecFixtures.comparable(CodecFixtures.stockKryo().readClassAndObject(
            new Input(stock)));
        assertEquals(stockRead, CodecFixtures.comparable(codec.deserialize(stock, Object.class)));
    }
}
