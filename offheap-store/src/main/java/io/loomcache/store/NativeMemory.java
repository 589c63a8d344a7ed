package io.loomcache.store;

import org.agrona.UnsafeApi;

/**
 * Raw native memory for the index and the slab chunks: malloc/free through Agrona's {@link UnsafeApi}, so the
 * memory is neither on the Java heap nor counted against {@code -XX:MaxDirectMemorySize}.
 */
final class NativeMemory {
    private NativeMemory() {
    }

    /**
     * Reserve zeroed native memory.
     *
     * @param length in bytes, positive.
     * @return address of the memory.
     * @throws OutOfMemoryError when the system has none left.
     */
    static long allocateZeroed(final long length) {
        final long address = UnsafeApi.allocateMemory(length);
        UnsafeApi.setMemory(address, length, (byte)0);
        return address;
    }

    /**
     * Give native memory back to the system.
     *
     * @param address returned by {@link #allocateZeroed(long)}, freed at most once.
     */
    static void free(final long address) {
        UnsafeApi.freeMemory(address);
    }
}
