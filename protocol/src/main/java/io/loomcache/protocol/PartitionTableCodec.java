package io.loomcache.protocol;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The partition table a cluster member answers PARTITION_TABLE with, as the value of a RESPONSE_VALUE. Little-endian:
 * <pre>
 *   int32 partitionCount, int32 groupCount, int32 memberCount
 *   memberCount x { int32 memberId, int32 addressLength, addressLength ASCII bytes "host:port" }
 *   groupCount  x { int32 leaderMemberId (-1 when unknown), int32 reserved (0), int64 term }
 * </pre>
 * Partition p belongs to group {@code p % groupCount}; its leader's client address is the member's address, and the
 * group's term is the version a client compares with a RESPONSE_REDIRECT's table version for that partition (a
 * higher term is newer). Stateless; encoding writes into the caller's buffer, decoding reads with bounds checks and
 * reports a malformed table as -1.
 */
public final class PartitionTableCodec {
    /** Byte order of every field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Length of the fixed head (the three counts). */
    public static final int HEAD_LENGTH = 3 * Integer.BYTES;
    /** Length of one group's entry. */
    public static final int GROUP_LENGTH = 2 * Integer.BYTES + Long.BYTES;

    private PartitionTableCodec() {
    }

    /**
     * Writes the head.
     *
     * @param buffer destination, large enough.
     * @param offset where the table starts.
     * @param partitionCount partitions of the key space.
     * @param groupCount Raft groups.
     * @param memberCount members that follow.
     * @return the offset after the head.
     */
    public static int putHead(final MutableDirectBuffer buffer, final int offset, final int partitionCount,
        final int groupCount, final int memberCount) {
        buffer.putInt(offset, partitionCount, BYTE_ORDER);
        buffer.putInt(offset + Integer.BYTES, groupCount, BYTE_ORDER);
        buffer.putInt(offset + 2 * Integer.BYTES, memberCount, BYTE_ORDER);
        return offset + HEAD_LENGTH;
    }

    /**
     * Writes one member.
     *
     * @param buffer destination, large enough.
     * @param offset where the member starts.
     * @param memberId its id.
     * @param address its client address "host:port" as ASCII bytes.
     * @return the offset after it.
     */
    public static int putMember(final MutableDirectBuffer buffer, final int offset, final int memberId,
        final DirectBuffer address) {
        buffer.putInt(offset, memberId, BYTE_ORDER);
        buffer.putInt(offset + Integer.BYTES, address.capacity(), BYTE_ORDER);
        buffer.putBytes(offset + 2 * Integer.BYTES, address, 0, address.capacity());
        return offset + 2 * Integer.BYTES + address.capacity();
    }

    /**
     * Writes one group.
     *
     * @param buffer destination, large enough.
     * @param offset where the group starts.
     * @param leaderId its leader's member id, -1 when unknown.
     * @param term the group's term.
     * @return the offset after it.
     */
    public static int putGroup(final MutableDirectBuffer buffer, final int offset, final int leaderId,
        final long term) {
        buffer.putInt(offset, leaderId, BYTE_ORDER);
        buffer.putInt(offset + Integer.BYTES, 0, BYTE_ORDER);
        buffer.putLong(offset + 2 * Integer.BYTES, term, BYTE_ORDER);
        return offset + GROUP_LENGTH;
    }

    /**
     * A decoded table; allocates (a client reads a table rarely).
     *
     * @param partitionCount partitions of the key space.
     * @param memberIds the members' ids.
     * @param addresses the members' client addresses, in the same order.
     * @param leaderIds each group's leader member id, -1 when unknown.
     * @param terms each group's term.
     */
    public record Table(int partitionCount, int[] memberIds, String[] addresses, int[] leaderIds, long[] terms) {
        /**
         * @return the number of groups.
         */
        public int groupCount() {
            return leaderIds.length;
        }

        /**
         * The client address of a partition's leader.
         *
         * @param partition 0 to partitionCount - 1.
         * @return "host:port", or null when its group has no known leader.
         */
        public String leaderAddress(final int partition) {
            return addressOf(leaderIds[partition % leaderIds.length]);
        }

        /**
         * @param memberId a member id.
         * @return its address, or null when not a member.
         */
        public String addressOf(final int memberId) {
            for (int i = 0; i < memberIds.length; i++) {
                if (memberIds[i] == memberId) {
                    return addresses[i];
                }
            }
            return null;
        }
    }

    /**
     * Decodes a table.
     *
     * @param buffer holds the table.
     * @param offset its first byte.
     * @param length its length.
     * @return the table, or null when it is malformed (a count out of range or a length past the end).
     */
    public static Table decode(final DirectBuffer buffer, final int offset, final int length) {
        final int end = offset + length;
        if (length < HEAD_LENGTH) {
            return null;
        }
        final int partitionCount = buffer.getInt(offset, BYTE_ORDER);
        final int groupCount = buffer.getInt(offset + Integer.BYTES, BYTE_ORDER);
        final int memberCount = buffer.getInt(offset + 2 * Integer.BYTES, BYTE_ORDER);
        if (partitionCount < 1 || groupCount < 1 || groupCount > partitionCount || memberCount < 1 ||
            memberCount > 1024) {
            return null;
        }
        int position = offset + HEAD_LENGTH;
        final int[] ids = new int[memberCount];
        final String[] addresses = new String[memberCount];
        for (int i = 0; i < memberCount; i++) {
            if (end - position < 2 * Integer.BYTES) {
                return null;
            }
            ids[i] = buffer.getInt(position, BYTE_ORDER);
            final int addressLength = buffer.getInt(position + Integer.BYTES, BYTE_ORDER);
            position += 2 * Integer.BYTES;
            if (addressLength < 0 || addressLength > ResponseDescriptor.MAX_ADDRESS_LENGTH ||
                end - position < addressLength) {
                return null;
            }
            final byte[] bytes = new byte[addressLength];
            buffer.getBytes(position, bytes);
            addresses[i] = new String(bytes, StandardCharsets.US_ASCII);
            position += addressLength;
        }
        if ((long)end - position != (long)groupCount * GROUP_LENGTH) {
            return null;
        }
        final int[] leaders = new int[groupCount];
        final long[] terms = new long[groupCount];
        for (int g = 0; g < groupCount; g++) {
            leaders[g] = buffer.getInt(position, BYTE_ORDER);
            terms[g] = buffer.getLong(position + 2 * Integer.BYTES, BYTE_ORDER);
            position += GROUP_LENGTH;
        }
        return new Table(partitionCount, ids, addresses, leaders, terms);
    }
}
