package io.loomcache.client;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo input over one serialized form that refuses, before allocating, every length it reads that the bytes after
 * it cannot hold: a string of {@code n} chars needs at least {@code n} bytes, an {@code int[n]} at least {@code n}
 * (varint) or {@code 4n} bytes, and so on. Stock Kryo allocates a string's, a byte array's or a primitive array's
 * declared length first and finds the bytes missing afterwards, so six bytes could ask for gigabytes. Reads a byte
 * array only (never a stream), so every length is checked against the bytes actually present. Not thread-safe: one
 * decode owns it.
 */
final class BoundedInput extends Input {
    private ElementBudget nextLengthBudget;

    /**
     * Wraps a serialized form.
     *
     * @param bytes the form, read from its first to its last byte.
     */
    BoundedInput(final byte[] bytes) {
        super(bytes);
    }

    /**
     * Counts the next length read from this input (a varint of length plus one, 0 for null) against a budget: a
     * container serializer reads its length first, before it allocates the container.
     *
     * @param elements the budget of the form being read.
     */
    void declareNextLength(final ElementBudget elements) {
        nextLengthBudget = elements;
    }

    @Override
    public int readVarInt(final boolean optimizePositive) {
        final ElementBudget elements = takeNextLengthBudget();
        return declared(elements, super.readVarInt(optimizePositive));
    }

    @Override
    public int readVarIntFlag(final boolean optimizePositive) {
        final ElementBudget elements = takeNextLengthBudget();
        return declared(elements, super.readVarIntFlag(optimizePositive));
    }

    @Override
    public byte[] readBytes(final int length) {
        requireElements(length, Byte.BYTES, "byte[]");
        return super.readBytes(length);
    }

    @Override
    public String readString() {
        requireUtf8Length();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        requireUtf8Length();
        return super.readStringBuilder();
    }

    @Override
    public int[] readInts(final int length) {
        requireElements(length, Integer.BYTES, "int[]");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(final int length, final boolean optimizePositive) {
        requireElements(length, varEncoding ? 1 : Integer.BYTES, "int[]");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(final int length) {
        requireElements(length, Long.BYTES, "long[]");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(final int length, final boolean optimizePositive) {
        requireElements(length, varEncoding ? 1 : Long.BYTES, "long[]");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(final int length) {
        requireElements(length, Float.BYTES, "float[]");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(final int length) {
        requireElements(length, Double.BYTES, "double[]");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(final int length) {
        requireElements(length, Short.BYTES, "short[]");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(final int length) {
        requireElements(length, Character.BYTES, "char[]");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(final int length) {
        requireElements(length, 1, "boolean[]");
        return super.readBooleans(length);
    }

    /**
     * A UTF-8 string's header (flag, then char count plus one) declares how many chars to allocate; each char takes
     * one to three bytes. An ASCII string has no header: it ends at the byte that marks its end and never reads
     * beyond the input.
     */
    private void requireUtf8Length() {
        if (!readVarIntFlag()) {
            return;
        }
        final int start = position;
        final int charCountPlusOne = readVarIntFlag(true);
        final int remaining = limit - position;
        position = start;
        if (charCountPlusOne < 0 || charCountPlusOne - 1 > remaining) {
            throw new KryoException("the bytes declare a string of " + ((long)charCountPlusOne - 1) +
                " chars, but only " + remaining + " bytes follow");
        }
    }

    private ElementBudget takeNextLengthBudget() {
        final ElementBudget elements = nextLengthBudget;
        nextLengthBudget = null;
        return elements;
    }

    private static int declared(final ElementBudget elements, final int lengthPlusOne) {
        if (elements != null && lengthPlusOne != Kryo.NULL) {
            elements.declare(lengthPlusOne - 1);
        }
        return lengthPlusOne;
    }

    private void requireElements(final int count, final int minimumBytesEach, final String what) {
        final int remaining = limit - position;
        if (count < 0 || (long)count * minimumBytesEach > remaining) {
            throw new KryoException("the bytes declare a " + what + " of " + count + " elements, but only " +
                remaining + " bytes follow");
        }
    }
}
