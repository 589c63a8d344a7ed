package io.loomcache.store;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * mmap, munmap and madvise of Linux through FFM downcalls, for memory the store wants on transparent huge pages.
 * {@link #SUPPORTED} is false (and nothing here may be called) when this module has no native access, the OS is
 * not Linux, a symbol is missing, or the kernel offers no transparent huge pages
 * ({@code /sys/kernel/mm/transparent_hugepage/enabled} absent or {@code [never]}). Stateless, thread safe.
 */
final class LinuxMemory {
    /**
     * Length of a transparent huge page (PMD size on x86-64 and arm64 with 4 KiB pages).
     */
    static final long HUGE_PAGE_LENGTH = 2L * 1024 * 1024;

    /**
     * Length of a base page.
     */
    static final long PAGE_LENGTH = 4096;

    /**
     * Whether mmap/munmap/madvise may be used and the kernel can back memory with transparent huge pages.
     */
    static final boolean SUPPORTED;

    private static final String THP_ENABLED = "/sys/kernel/mm/transparent_hugepage/enabled";
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;
    private static final long MAP_FAILED = -1L;

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;

    static {
        final boolean usable = LinuxMemory.class.getModule().isNativeAccessEnabled() &&
            System.getProperty("os.name", "").startsWith("Linux") && hugePagesOffered();
        MMAP = usable ? downcall("mmap", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG)) : null;
        MUNMAP = usable ? downcall("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG)) : null;
        MADVISE = usable ? downcall("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)) : null;
        SUPPORTED = null != MMAP && null != MUNMAP && null != MADVISE;
    }

    private LinuxMemory() {
    }

    /**
     * Map zeroed anonymous memory whose address is a multiple of {@link #HUGE_PAGE_LENGTH}; pages are backed on first
     * touch. Call only when {@link #SUPPORTED}.
     *
     * @param length in bytes, a positive multiple of {@link #HUGE_PAGE_LENGTH}.
     * @return the 2 MiB aligned address.
     * @throws OutOfMemoryError when the kernel refuses the mapping.
     */
    static long mapAligned(final long length) {
        final long mappedLength = length + HUGE_PAGE_LENGTH;
        final long mapped = invokeMap(mappedLength);
        if (MAP_FAILED == mapped) {
            throw new OutOfMemoryError("mmap of " + mappedLength + " bytes failed");
        }
        final long address = (mapped + HUGE_PAGE_LENGTH - 1) & -HUGE_PAGE_LENGTH;
        final long head = address - mapped;
        if (head > 0) {
            unmap(mapped, head);
        }
        final long tail = HUGE_PAGE_LENGTH - head;
        if (tail > 0) {
            unmap(address + length, tail);
        }
        return address;
    }

    /**
     * Give a mapped range back to the system.
     *
     * @param address page aligned, from {@link #mapAligned(long)}.
     * @param length  in bytes, a multiple of {@link #PAGE_LENGTH}.
     */
    static void unmap(final long address, final long length) {
        try {
            final int result = (int)MUNMAP.invokeExact(address, length);
            if (0 != result) {
                throw new IllegalStateException("munmap(" + address + ", " + length + ") failed");
            }
        } catch (final RuntimeException | Error ex) {
            throw ex;
        } catch (final Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Ask for transparent huge pages over a range (MADV_HUGEPAGE); the kernel may still use base pages.
     *
     * @param address page aligned.
     * @param length  in bytes.
     * @return true when the kernel accepted the advice.
     */
    static boolean adviseHugePages(final long address, final long length) {
        return 0 == advise(address, length, MADV_HUGEPAGE);
    }

    /**
     * Drop the pages of a range (MADV_DONTNEED): the memory goes back to the system and reads as zeros again.
     *
     * @param address page aligned.
     * @param length  in bytes, a multiple of {@link #PAGE_LENGTH}.
     */
    static void discard(final long address, final long length) {
        if (0 != advise(address, length, MADV_DONTNEED)) {
            throw new IllegalStateException("madvise(MADV_DONTNEED) of " + length + " bytes failed");
        }
    }

    private static int advise(final long address, final long length, final int advice) {
        try {
            return (int)MADVISE.invokeExact(address, length, advice);
        } catch (final RuntimeException | Error ex) {
            throw ex;
        } catch (final Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long invokeMap(final long length) {
        try {
            return (long)MMAP.invokeExact(0L, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (final RuntimeException | Error ex) {
            throw ex;
        } catch (final Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean hugePagesOffered() {
        try {
            final String modes = Files.readString(Path.of(THP_ENABLED));
            return modes.contains("[always]") || modes.contains("[madvise]");
        } catch (final IOException | SecurityException ex) {
            return false;
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor) {
        final Linker linker = Linker.nativeLinker();
        final SymbolLookup libc = linker.defaultLookup();
        return libc.find(name).map(symbol -> linker.downcallHandle(symbol, descriptor)).orElse(null);
    }
}
