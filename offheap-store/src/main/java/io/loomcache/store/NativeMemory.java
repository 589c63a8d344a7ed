package io.loomcache.store;

import java.util.Arrays;

import org.agrona.UnsafeApi;

import static io.loomcache.store.LinuxMemory.HUGE_PAGE_LENGTH;
import static io.loomcache.store.LinuxMemory.PAGE_LENGTH;

/**
 * Where one store's native memory comes from: the index and the slab chunks. It is neither on the Java heap nor
 * counted against {@code -XX:MaxDirectMemorySize}.
 * <p>
 * With huge pages (asked for and {@link LinuxMemory#SUPPORTED}) memory is mapped 2 MiB aligned and advised
 * MADV_HUGEPAGE, so a lookup that misses the caches does not also miss the TLB on every access: a range of 2 MiB
 * or more gets a mapping of its own; smaller ranges (slab chunks) are cut, page aligned, from 64 MiB segments, a
 * freed one is dropped with MADV_DONTNEED (its memory goes back to the system) and reused first-fit, and a segment
 * with nothing left in it is unmapped. Memory is zeroed by the kernel and backed on first touch. Without huge
 * pages it is malloc'd and zeroed as before.
 * <p>
 * Single-threaded: owned by the store's thread. Allocation happens only when a chunk or an index array is added.
 */
final class NativeMemory implements AutoCloseable {
    /**
     * Length of a segment that ranges below {@link LinuxMemory#HUGE_PAGE_LENGTH} are cut from.
     */
    static final long SEGMENT_LENGTH = 64L * 1024 * 1024;

    private static final int INITIAL_SLOTS = 8;

    private final boolean mapped;
    private boolean hugePagesAdvised;
    private long[] segmentAddress = new long[INITIAL_SLOTS];
    private long[] segmentTop = new long[INITIAL_SLOTS];
    private int[] segmentRanges = new int[INITIAL_SLOTS];
    private int segmentCount;
    private long[] freeAddress = new long[INITIAL_SLOTS];
    private long[] freeLength = new long[INITIAL_SLOTS];
    private int freeCount;

    /**
     * Memory from malloc, without huge pages.
     */
    NativeMemory() {
        this(false);
    }

    /**
     * Memory with or without huge pages.
     *
     * @param hugePages true to map memory advised for transparent huge pages when the system offers them; without
     *                  them memory comes from malloc, silently (see {@link #hugePagesAdvised()}).
     */
    NativeMemory(final boolean hugePages) {
        mapped = hugePages && LinuxMemory.SUPPORTED;
        hugePagesAdvised = mapped;
    }

    /**
     * Whether memory is mapped for huge pages and the kernel has accepted every MADV_HUGEPAGE so far; false when
     * huge pages were not asked for or are not offered. The kernel may still back a range with base pages.
     *
     * @return true while every range handed out was advised for huge pages.
     */
    boolean hugePagesAdvised() {
        return hugePagesAdvised;
    }

    /**
     * Reserve zeroed native memory, 8-byte aligned.
     *
     * @param length in bytes, positive.
     * @return address of the memory.
     * @throws OutOfMemoryError when the system has none left.
     */
    long allocateZeroed(final long length) {
        if (!mapped) {
            final long address = UnsafeApi.allocateMemory(length);
            UnsafeApi.setMemory(address, length, (byte)0);
            return address;
        }

        if (length >= HUGE_PAGE_LENGTH) {
            final long mappedLength = roundUp(length, HUGE_PAGE_LENGTH);
            final long address = LinuxMemory.mapAligned(mappedLength);
            advise(address, mappedLength);
            return address;
        }

        final long pagesLength = roundUp(length, PAGE_LENGTH);
        final long address = takeFreeRange(pagesLength);
        return 0 != address ? address : cutFromSegment(pagesLength);
    }

    /**
     * Give native memory back to the system.
     *
     * @param address returned by {@link #allocateZeroed(long)}, freed at most once.
     * @param length  the length it was allocated with.
     */
    void free(final long address, final long length) {
        if (!mapped) {
            UnsafeApi.freeMemory(address);
        } else if (length >= HUGE_PAGE_LENGTH) {
            LinuxMemory.unmap(address, roundUp(length, HUGE_PAGE_LENGTH));
        } else {
            final int segment = segmentOf(address);
            if (0 == --segmentRanges[segment]) {
                unmapSegment(segment);
            } else {
                final long pagesLength = roundUp(length, PAGE_LENGTH);
                LinuxMemory.discard(address, pagesLength);
                addFreeRange(segment, address, pagesLength);
            }
        }
    }

    /**
     * Native bytes mapped for segments (virtual; only touched pages are backed).
     *
     * @return segment count times {@link #SEGMENT_LENGTH}.
     */
    long segmentBytes() {
        return segmentCount * SEGMENT_LENGTH;
    }

    /**
     * Unmap every segment; ranges of 2 MiB or more belong to their owners, who free them first. Safe to repeat.
     */
    public void close() {
        while (segmentCount > 0) {
            unmapSegment(segmentCount - 1);
        }
    }

    private long takeFreeRange(final long pagesLength) {
        for (int i = 0; i < freeCount; i++) {
            if (freeLength[i] >= pagesLength) {
                final long address = freeAddress[i];
                if (freeLength[i] == pagesLength) {
                    removeFreeRange(i);
                } else {
                    freeAddress[i] += pagesLength;
                    freeLength[i] -= pagesLength;
                }
                segmentRanges[segmentOf(address)]++;
                return address;
            }
        }
        return 0;
    }

    private long cutFromSegment(final long pagesLength) {
        int segment = segmentCount - 1;
        if (segment < 0 || segmentTop[segment] + pagesLength > SEGMENT_LENGTH) {
            segment = mapSegment();
        }
        final long address = segmentAddress[segment] + segmentTop[segment];
        segmentTop[segment] += pagesLength;
        segmentRanges[segment]++;
        return address;
    }

    private int mapSegment() {
        if (segmentCount == segmentAddress.length) {
            final int length = segmentCount * 2;
            segmentAddress = Arrays.copyOf(segmentAddress, length);
            segmentTop = Arrays.copyOf(segmentTop, length);
            segmentRanges = Arrays.copyOf(segmentRanges, length);
        }
        final long address = LinuxMemory.mapAligned(SEGMENT_LENGTH);
        advise(address, SEGMENT_LENGTH);
        final int segment = segmentCount++;
        segmentAddress[segment] = address;
        segmentTop[segment] = 0;
        segmentRanges[segment] = 0;
        return segment;
    }

    private void unmapSegment(final int segment) {
        final long address = segmentAddress[segment];
        LinuxMemory.unmap(address, SEGMENT_LENGTH);
        for (int i = freeCount - 1; i >= 0; i--) {
            if (freeAddress[i] >= address && freeAddress[i] < address + SEGMENT_LENGTH) {
                removeFreeRange(i);
            }
        }
        final int later = segmentCount - segment - 1;
        System.arraycopy(segmentAddress, segment + 1, segmentAddress, segment, later);
        System.arraycopy(segmentTop, segment + 1, segmentTop, segment, later);
        System.arraycopy(segmentRanges, segment + 1, segmentRanges, segment, later);
        segmentCount--;
    }

    private int segmentOf(final long address) {
        for (int segment = 0; segment < segmentCount; segment++) {
            final long start = segmentAddress[segment];
            if (address >= start && address < start + SEGMENT_LENGTH) {
                return segment;
            }
        }
        throw new IllegalStateException("address " + address + " is in no segment");
    }

    /**
     * Record a freed range, merged with free neighbours; a range reaching the segment's top lowers the top instead.
     */
    private void addFreeRange(final int segment, final long address, final long length) {
        final long segmentStart = segmentAddress[segment];
        long start = address;
        long end = address + length;
        for (int i = freeCount - 1; i >= 0; i--) {
            if (freeAddress[i] < segmentStart || freeAddress[i] >= segmentStart + SEGMENT_LENGTH) {
                continue;
            }
            if (freeAddress[i] + freeLength[i] == start) {
                start = freeAddress[i];
                removeFreeRange(i);
            } else if (freeAddress[i] == end) {
                end += freeLength[i];
                removeFreeRange(i);
            }
        }
        if (segmentStart + segmentTop[segment] == end) {
            segmentTop[segment] = start - segmentStart;
            return;
        }
        if (freeCount == freeAddress.length) {
            freeAddress = Arrays.copyOf(freeAddress, freeCount * 2);
            freeLength = Arrays.copyOf(freeLength, freeCount * 2);
        }
        freeAddress[freeCount] = start;
        freeLength[freeCount] = end - start;
        freeCount++;
    }

    private void removeFreeRange(final int i) {
        freeCount--;
        freeAddress[i] = freeAddress[freeCount];
        freeLength[i] = freeLength[freeCount];
    }

    private void advise(final long address, final long length) {
        if (!LinuxMemory.adviseHugePages(address, length)) {
            hugePagesAdvised = false;
        }
    }

    private static long roundUp(final long length, final long alignment) {
        return (length + alignment - 1) & -alignment;
    }
}
