package io.loomcache.server.executor;

import org.agrona.DirectBuffer;

import io.loomcache.protocol.KeySlot;
import io.loomcache.server.config.ServerContext;

/**
 * Maps a key to its partition and a partition to its executor: partition = the key's Redis Cluster slot cut into
 * contiguous ranges by the partition count ({@link KeySlot}, {@link ServerContext#partitions()}, 271 by default);
 * executor = partition modulo the executor count. Clients compute the same. Stateless, allocation-free, thread-safe.
 */
public final class PartitionRouter {
    private PartitionRouter() {
    }

    /**
     * The partition of a key.
     *
     * @param buffer holding the key.
     * @param offset of the first key byte.
     * @param length of the key in bytes.
     * @param partitionCount the node's partition count.
     * @return 0 to partitionCount - 1.
     */
    public static int partition(final DirectBuffer buffer, final int offset, final int length,
        final int partitionCount) {
        return KeySlot.partition(buffer, offset, length, partitionCount);
    }

    /**
     * The executor owning a partition.
     *
     * @param partition 0 to the partition count - 1.
     * @param executorCount executors of the node.
     * @return 0 to executorCount - 1.
     */
    public static int executor(final int partition, final int executorCount) {
        return partition % executorCount;
    }
}
