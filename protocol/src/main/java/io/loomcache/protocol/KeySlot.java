package io.loomcache.protocol;

import org.agrona.DirectBuffer;

/**
 * Where a key lives, the same on every node, client and tool: its slot is Redis Cluster's (CRC16-XMODEM of the key,
 * or of its hash tag, modulo {@link #SLOTS}), and the partition count cuts the slots into contiguous ranges, partition
 * = slot x partitions / {@link #SLOTS}. A hash tag is Redis's: the bytes between the first '{' and the first '}'
 * after it, when there are some ({@code {user42}.cart} and {@code {user42}.name} share a slot, so a partition, an
 * executor and a Raft group). Because each partition is a range of Redis slots, a Redis Cluster client can be told
 * which member serves which slots (CLUSTER SLOTS) and route by itself. Stateless, allocation-free, thread-safe.
 */
public final class KeySlot {
    /** Redis Cluster's slot count. */
    public static final int SLOTS = 16_384;
    /** The most partitions: every partition holds at least one slot. */
    public static final int MAX_PARTITIONS = SLOTS;

    private static final int POLYNOMIAL = 0x1021;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private KeySlot() {
    }

    /**
     * The Redis Cluster slot of a key.
     *
     * @param key the key's buffer.
     * @param offset of the first key byte.
     * @param length of the key.
     * @return 0 to {@link #SLOTS} - 1.
     */
    public static int slot(final DirectBuffer key, final int offset, final int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (key.getByte(i) == '{') {
                for (int j = i + 1; j < end; j++) {
                    if (key.getByte(j) == '}') {
                        if (j > i + 1) {
                            start = i + 1;
                            end = j;
                        }
                        break;
                    }
                }
                break;
            }
        }
        return crc16(key, start, end - start) & (SLOTS - 1);
    }

    /**
     * The partition of a key.
     *
     * @param key the key's buffer.
     * @param offset of the first key byte.
     * @param length of the key.
     * @param partitionCount 1 to {@link #MAX_PARTITIONS}.
     * @return 0 to partitionCount - 1.
     */
    public static int partition(final DirectBuffer key, final int offset, final int length,
        final int partitionCount) {
        return partitionOfSlot(slot(key, offset, length), partitionCount);
    }

    /**
     * The partition holding a slot.
     *
     * @param slot 0 to {@link #SLOTS} - 1.
     * @param partitionCount 1 to {@link #MAX_PARTITIONS}.
     * @return 0 to partitionCount - 1.
     */
    public static int partitionOfSlot(final int slot, final int partitionCount) {
        return (int)((long)slot * partitionCount / SLOTS);
    }

    /**
     * The first slot of a partition; its last is the next partition's first minus one ({@link #SLOTS} - 1 for the
     * last partition).
     *
     * @param partition 0 to partitionCount (partitionCount gives {@link #SLOTS}).
     * @param partitionCount 1 to {@link #MAX_PARTITIONS}.
     * @return the slot.
     */
    public static int firstSlot(final int partition, final int partitionCount) {
        return (int)(((long)partition * SLOTS + partitionCount - 1) / partitionCount);
    }

    /**
     * CRC16-XMODEM (polynomial 0x1021, initial value 0), the checksum Redis Cluster hashes keys with.
     *
     * @param bytes the buffer.
     * @param offset of the first byte.
     * @param length bytes.
     * @return 0 to 65535.
     */
    public static int crc16(final DirectBuffer bytes, final int offset, final int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes.getByte(offset + i)) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }
}
