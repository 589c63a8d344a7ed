package io.loomcache.store;

import java.util.Arrays;
import java.util.HexFormat;

import org.agrona.DirectBuffer;

/**
 * Key bytes with content equality, for HashMap models of the store.
 */
final class ByteKey {
    private final byte[] bytes;

    ByteKey(final byte[] bytes) {
        this.bytes = bytes.clone();
    }

    static ByteKey copyOf(final DirectBuffer buffer, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new ByteKey(bytes);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof ByteKey key && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length + ":" + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 6));
    }
}
