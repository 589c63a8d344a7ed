package io.loomcache.raft.storage;

import java.nio.ByteOrder;

/**
 * Layout of the hard-state file of a {@link WalRaftLog}: two slots, each holding the current term and vote with a
 * sequence number and a CRC32C. A write goes to the slot that does not hold the newest value, so a torn write can
 * only damage that slot and recovery falls back to the other. The slots sit {@link #SLOT_STRIDE} bytes apart, in
 * different pages and sectors, so that one write never touches both.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Sequence (64 bits, LE)                    |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       Term (64 bits, LE)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Voted For (32 bits, LE)                    |
 *  +---------------------------------------------------------------+
 *  |          CRC32C of the 20 bytes above (32 bits, LE)           |
 *  +---------------------------------------------------------------+
 * </pre>
 * Slot {@code n} starts at {@code n * SLOT_STRIDE}; the slot written for sequence {@code s} is {@code s & 1}.
 * A slot is valid when its CRC matches and its sequence is positive; the valid slot with the higher sequence holds
 * the hard state, and no valid slot means term 0 and no vote.
 */
final class HardStateDescriptor {
    /** Byte order of every field. */
    static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Increases by one per write; 0 never appears in a valid slot. */
    static final int SEQUENCE_OFFSET = 0;
    static final int SEQUENCE_LENGTH = Long.BYTES;
    static final int TERM_OFFSET = SEQUENCE_OFFSET + SEQUENCE_LENGTH;
    static final int TERM_LENGTH = Long.BYTES;
    static final int VOTED_FOR_OFFSET = TERM_OFFSET + TERM_LENGTH;
    static final int VOTED_FOR_LENGTH = Integer.BYTES;
    /** CRC32C over {@code [SEQUENCE_OFFSET, CRC_OFFSET)}. */
    static final int CRC_OFFSET = VOTED_FOR_OFFSET + VOTED_FOR_LENGTH;
    static final int CRC_LENGTH = Integer.BYTES;
    /** Bytes of one slot. */
    static final int SLOT_LENGTH = CRC_OFFSET + CRC_LENGTH;
    /** Distance between the starts of the two slots: one page. */
    static final int SLOT_STRIDE = 4096;
    /** Number of slots. */
    static final int SLOT_COUNT = 2;

    private HardStateDescriptor() {
    }

    /**
     * File offset of a slot.
     *
     * @param slot 0 or 1.
     * @return offset in bytes.
     */
    static long slotOffset(final int slot) {
        return (long)slot * SLOT_STRIDE;
    }
}
