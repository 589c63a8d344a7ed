package io.loomcache.store;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Prints the memory overhead per entry of an OffHeapStore holding N entries (default 1,000,000) with 16-byte
 * keys and 100-byte values, starting from the default index capacity so the index grows as it would in use.
 * <p>
 * Run: {@code scripts/mvnw -q -pl offheap-store test-compile exec:exec@overhead-report} (or with
 * {@code -Dentries=N}).
 */
public final class OverheadReport {
    private static final int KEY_LENGTH = 16;
    private static final int VALUE_LENGTH = 100;

    private OverheadReport() {
    }

    public static void main(final String[] args) {
        final int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final long payload = (long)entries * (KEY_LENGTH + VALUE_LENGTH);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(System.currentTimeMillis());

        final long heapBefore = usedHeap();
        try (OffHeapStore store = new OffHeapStore(new StoreContext()
            .epochClock(clock)
            .maxMemoryBytes(4L << 30)
            .evictionPolicy(EvictionPolicy.NONE))) {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            for (int i = 0; i < entries; i++) {
                key.putLong(0, i);
                key.putLong(8, i * 0x9E37_79B9_7F4A_7C15L);
                value.putInt(0, i);
                if (OffHeapStore.INSERTED != store.put(key, 0, KEY_LENGTH, value, 0, VALUE_LENGTH, 0)) {
                    throw new IllegalStateException("insert " + i + " failed");
                }
            }
            final long heapAfter = usedHeap();

            final long indexBytes = (long)store.indexCapacity() * IndexDescriptor.SLOT_LENGTH;
            final long reserved = store.nativeBytesReserved();
            final long used = store.usedBytes();
            System.out.printf("entries                      %,d (key %d B, value %d B, payload %,d B)%n",
                store.size(), KEY_LENGTH, VALUE_LENGTH, payload);
            System.out.printf("index                        %,d slots x %d B = %,d B (%.1f B/entry)%n",
                store.indexCapacity(), IndexDescriptor.SLOT_LENGTH, indexBytes, (double)indexBytes / entries);
            System.out.printf("entry block                  %d B header + %d B = %d B -> size class %d B%n",
                EntryDescriptor.HEADER_LENGTH, KEY_LENGTH + VALUE_LENGTH,
                EntryDescriptor.entryLength(KEY_LENGTH, VALUE_LENGTH),
                SizeClasses.blockLength(EntryDescriptor.entryLength(KEY_LENGTH, VALUE_LENGTH)));
            System.out.printf("native bytes reserved        %,d B%n", reserved);
            System.out.printf("accounted (used) bytes       %,d B%n", used);
            System.out.printf("overhead/entry (reserved)    %.2f B  = (reserved - N*116) / N%n",
                (double)(reserved - payload) / entries);
            System.out.printf("accounted bytes/entry        %.2f B  (overhead %.2f B)%n",
                (double)used / entries, (double)(used - payload) / entries);
            System.out.printf("Java heap growth (approx.)   %,d B%n", heapAfter - heapBefore);
        }
    }

    private static long usedHeap() {
        final Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
