package io.loomcache.server.config;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Checks at start that the memory budgets fit the JVM they run in, so that a node refuses to start with a clear
 * message instead of running out of memory under load: {@code --max-connections} idle connections (each costs heap
 * and, with the NIO transport, a small direct read buffer) plus the partial-frame budget must fit in three quarters
 * of the heap, and the connection memory plus the executors' request rings and held-request buffers plus the idle
 * read buffers must fit in the direct memory limit. The per-connection costs are measured figures with headroom
 * (see {@code scripts/idle-connections} and docs/benchmarks.md).
 */
public final class NodeMemory {
    /** Heap an idle connection may take (measured about 8.4 KiB with NIO, 5.7 KiB with Netty). */
    public static final long IDLE_CONNECTION_HEAP_BYTES = 12 * 1024;
    /** Direct memory an idle NIO connection keeps (its read buffer). */
    public static final long IDLE_CONNECTION_DIRECT_BYTES = 2 * 1024;
    private static final long MIB = 1024 * 1024;

    private NodeMemory() {
    }

    /**
     * Checks a concluded context against this JVM's heap and direct memory limits.
     *
     * @param context the concluded configuration.
     * @throws ConfigException naming max-connections (or the budget) when the budgets do not fit.
     */
    public static void check(final ServerContext context) {
        check(context, Runtime.getRuntime().maxMemory(), maxDirectMemory());
    }

    /**
     * Checks a concluded context against given limits.
     *
     * @param context the concluded configuration.
     * @param maxHeapBytes the heap limit.
     * @param maxDirectBytes the direct memory limit.
     * @throws ConfigException naming max-connections (or the budget) when the budgets do not fit.
     */
    public static void check(final ServerContext context, final long maxHeapBytes, final long maxDirectBytes) {
        final long idleHeap = context.maxConnections() * IDLE_CONNECTION_HEAP_BYTES;
        final long heapNeeded = idleHeap + context.partialFrameBudgetBytes();
        final long heapAllowed = maxHeapBytes / 4 * 3;
        if (heapNeeded > heapAllowed) {
            throw new ConfigException(Setting.MAX_CONNECTIONS, Integer.toString(context.maxConnections()),
                "idle connections (" + mib(idleHeap) + " MiB at " + IDLE_CONNECTION_HEAP_BYTES / 1024 +
                " KiB each) and the partial-frame budget (" + mib(context.partialFrameBudgetBytes()) +
                " MiB) need more than three quarters of the heap (" + mib(maxHeapBytes) +
                " MiB): lower them or raise -Xmx");
        }
        final long executorsDirect = (long)context.executors() * (context.executorQueueBufferLength() +
            heldRequestsBytes(context.maxFrameLength()));
        final long directNeeded = context.maxConnections() * IDLE_CONNECTION_DIRECT_BYTES +
            context.connectionMemoryBytes() + executorsDirect;
        if (directNeeded > maxDirectBytes) {
            throw new ConfigException(Setting.CONNECTION_MEMORY, Long.toString(context.connectionMemoryBytes()),
                "the connection memory, " + context.maxConnections() + " idle connections (" +
                mib(context.maxConnections() * IDLE_CONNECTION_DIRECT_BYTES) + " MiB) and the executors' rings (" +
                mib(executorsDirect) + " MiB) need " + mib(directNeeded) + " MiB of direct memory, more than " +
                "the JVM allows (" + mib(maxDirectBytes) + " MiB): lower them or raise -XX:MaxDirectMemorySize");
        }
    }

    /**
     * Bytes of an executor's held-request buffer: room for two of the largest request records, at least 1 MiB.
     *
     * @param maxFrameLength the node's largest frame.
     * @return bytes.
     */
    public static int heldRequestsBytes(final int maxFrameLength) {
        return Math.max(1 << 20, 2 * (maxFrameLength + 64));
    }

    private static long mib(final long bytes) {
        return (bytes + MIB - 1) / MIB;
    }

    private static long maxDirectMemory() {
        final HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        final long configured = diagnostics == null ? 0 :
            Long.parseLong(diagnostics.getVMOption("MaxDirectMemorySize").getValue());
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
    }
}
