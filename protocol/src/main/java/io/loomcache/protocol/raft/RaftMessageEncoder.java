package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.GROUP_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SENDER_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TERM_OFFSET;

import io.loomcache.protocol.FrameHeaderEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Base of the Raft flyweight encoders, written as SBE's generated encoders are: {@link #wrap} writes the frame header
 * (version {@code PROTOCOL_VERSION}, flags 0, correlation id 0, the body length of the fixed part) and zeroes the
 * fixed part, then one setter per field writes it in place, so two fields cannot be swapped silently:
 * {@code encoder.wrap(buffer, offset).groupId(g).senderId(s).term(t)...frameLength()}. A field not set reads as 0
 * (false). The caller makes sure the buffer has room. Not thread-safe; allocates nothing.
 *
 * @param <E> the concrete encoder, returned by every setter.
 */
public abstract sealed class RaftMessageEncoder<E extends RaftMessageEncoder<E>> permits VoteRequestEncoder,
    VoteResponseEncoder, AppendEntriesEncoder, AppendEntriesResponseEncoder, InstallSnapshotEncoder,
    InstallSnapshotResponseEncoder, TimeoutNowEncoder {

    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private final int opcode;
    private final int fixedBodyLength;
    private MutableDirectBuffer buffer;
    private int offset;

    RaftMessageEncoder(final int opcode, final int fixedBodyLength) {
        this.opcode = opcode;
        this.fixedBodyLength = fixedBodyLength;
    }

    /**
     * Points this encoder at the place where the frame will be written and writes the header and a zeroed fixed
     * part.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public final E wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        header.wrap(buffer, offset).header(opcode, 0, 0, fixedBodyLength);
        buffer.setMemory(offset + HEADER_LENGTH, fixedBodyLength, (byte)0);
        onWrap();
        return self();
    }

    /** Resets what a subclass counts per frame; called by {@link #wrap}. */
    void onWrap() {
    }

    /**
     * Writes the protocol version of the header, for a peer that negotiated another than {@code PROTOCOL_VERSION}.
     *
     * @param version the version, uint8.
     * @return this.
     */
    public final E version(final int version) {
        header.version(version);
        return self();
    }

    /**
     * Writes the Raft group id.
     *
     * @param groupId the group id.
     * @return this.
     */
    public final E groupId(final int groupId) {
        return putInt(GROUP_ID_OFFSET, groupId);
    }

    /**
     * Writes the sender's node id.
     *
     * @param senderId the node id.
     * @return this.
     */
    public final E senderId(final int senderId) {
        return putInt(SENDER_ID_OFFSET, senderId);
    }

    /**
     * Writes the sender's current term.
     *
     * @param term the term.
     * @return this.
     */
    public final E term(final long term) {
        return putLong(TERM_OFFSET, term);
    }

    /**
     * The length of the frame written so far: header plus the body length in its header.
     *
     * @return bytes.
     */
    public final int frameLength() {
        return HEADER_LENGTH + buffer.getInt(offset + BODY_LENGTH_OFFSET, BYTE_ORDER);
    }

    E opcode(final int value) {
        header.opcode(value);
        return self();
    }

    final E putInt(final int bodyRelativeOffset, final int value) {
        buffer.putInt(offset + HEADER_LENGTH + bodyRelativeOffset, value, BYTE_ORDER);
        return self();
    }

    final E putLong(final int bodyRelativeOffset, final long value) {
        buffer.putLong(offset + HEADER_LENGTH + bodyRelativeOffset, value, BYTE_ORDER);
        return self();
    }

    final E putBoolean(final int bodyRelativeOffset, final boolean value) {
        return putInt(bodyRelativeOffset, RaftFrames.toInt(value));
    }

    final void bodyLength(final int bodyLength) {
        header.bodyLength(bodyLength);
    }

    final MutableDirectBuffer buffer() {
        return buffer;
    }

    final int bodyIndex() {
        return offset + HEADER_LENGTH;
    }

    @SuppressWarnings("unchecked")
    private E self() {
        return (E)this;
    }
}
