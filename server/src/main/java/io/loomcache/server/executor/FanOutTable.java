package io.loomcache.server.executor;

import static io.loomcache.server.executor.FanOutDescriptor.CONNECTION_ID_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.ERROR_CODE_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.FLAGS_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.OPCODE_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.RECEIVED_NS_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.REMAINING_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.SLOT_LENGTH;
import static io.loomcache.server.executor.FanOutDescriptor.STATE_OFFSET;
import static io.loomcache.server.executor.FanOutDescriptor.SUM_OFFSET;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseEncoder;

/**
 * Pre-allocated slots ({@link FanOutDescriptor}) aggregating the partial answers of a request sent to every
 * executor: a reader {@link #claim claims} a slot, each executor {@link #contribute contributes} its part, and
 * the contributor that brings the remaining count to zero {@link #encodeResult encodes} the answer and
 * {@link #free frees} the slot. Lock-free (CAS on the state, atomic adds); allocation-free; thread-safe.
 */
public final class FanOutTable {
    /** Returned by {@link #claim} when every slot is in use. */
    public static final int NO_SLOT = -1;
    private static final int FREE = 0;
    private static final int USED = 1;

    private final UnsafeBuffer slots;
    private final int slotCount;
    private final AtomicInteger cursor = new AtomicInteger();

    /**
     * Creates a table.
     *
     * @param slotCount concurrent fan-out requests the node holds.
     */
    public FanOutTable(final int slotCount) {
        this.slotCount = slotCount;
        this.slots = new UnsafeBuffer(ByteBuffer.allocateDirect(slotCount * SLOT_LENGTH));
    }

    /**
     * Claims a free slot; the ring write that follows publishes the fields to the executors.
     *
     * @param connectionId the requesting connection.
     * @param correlationId the request's correlation id.
     * @param opcode MAP_SIZE or MAP_CLEAR.
     * @param flags the request's header flags.
     * @param receivedNs when the request was read.
     * @param parts how many contributions complete it.
     * @return the slot, or {@link #NO_SLOT}.
     */
    public int claim(
        final long connectionId,
        final long correlationId,
        final int opcode,
        final int flags,
        final long receivedNs,
        final int parts) {
        final int start = cursor.getAndIncrement();
        for (int i = 0; i < slotCount; i++) {
            final int slot = Math.floorMod(start + i, slotCount);
            final int base = slot * SLOT_LENGTH;
            if (slots.compareAndSetInt(base + STATE_OFFSET, FREE, USED)) {
                slots.putLong(base + CONNECTION_ID_OFFSET, connectionId);
                slots.putLong(base + CORRELATION_ID_OFFSET, correlationId);
                slots.putLong(base + SUM_OFFSET, 0);
                slots.putInt(base + ERROR_CODE_OFFSET, ErrorCode.NONE);
                slots.putInt(base + OPCODE_OFFSET, opcode);
                slots.putInt(base + FLAGS_OFFSET, flags);
                slots.putLong(base + RECEIVED_NS_OFFSET, receivedNs);
                slots.putIntVolatile(base + REMAINING_OFFSET, parts);
                return slot;
            }
        }
        return NO_SLOT;
    }

    /**
     * Adds one executor's part.
     *
     * @param slot the slot.
     * @param value the partial result (a size), added to the sum.
     * @param errorCode {@link ErrorCode#NONE} or the part's error; the first error wins.
     * @return true for the last part: the caller then encodes the result and frees the slot.
     */
    public boolean contribute(final int slot, final long value, final int errorCode) {
        final int base = slot * SLOT_LENGTH;
        slots.getAndAddLong(base + SUM_OFFSET, value);
        if (errorCode != ErrorCode.NONE) {
            slots.compareAndSetInt(base + ERROR_CODE_OFFSET, ErrorCode.NONE, errorCode);
        }
        return slots.getAndAddInt(base + REMAINING_OFFSET, -1) == 1;
    }

    /**
     * Encodes the aggregated answer: RESPONSE_LONG with the sum for MAP_SIZE, RESPONSE_OK for MAP_CLEAR, or
     * RESPONSE_ERROR (SERVER_BUSY parts answer RESPONSE_SERVER_BUSY).
     *
     * @param slot a slot whose last part arrived.
     * @param encoder the caller's encoder.
     * @param buffer where to encode.
     * @param offset the frame offset.
     * @return the frame length.
     */
    public int encodeResult(
        final int slot, final ResponseEncoder encoder, final MutableDirectBuffer buffer, final int offset) {
        final int base = slot * SLOT_LENGTH;
        final long correlationId = slots.getLong(base + CORRELATION_ID_OFFSET);
        final int errorCode = slots.getIntVolatile(base + ERROR_CODE_OFFSET);
        encoder.wrap(buffer, offset);
        if (errorCode == ErrorCode.SERVER_BUSY) {
            return encoder.serverBusy(correlationId, 1);
        }
        if (errorCode != ErrorCode.NONE) {
            return encoder.error(correlationId, errorCode);
        }
        return slots.getInt(base + OPCODE_OFFSET) == Opcodes.MAP_SIZE ?
            encoder.longResult(correlationId, slots.getLongVolatile(base + SUM_OFFSET)) : encoder.ok(correlationId);
    }

    /**
     * The requesting connection of a slot.
     *
     * @param slot the slot.
     * @return the connection id.
     */
    public long connectionId(final int slot) {
        return slots.getLong(slot * SLOT_LENGTH + CONNECTION_ID_OFFSET);
    }

    /**
     * The request opcode of a slot.
     *
     * @param slot the slot.
     * @return the opcode.
     */
    public int opcode(final int slot) {
        return slots.getInt(slot * SLOT_LENGTH + OPCODE_OFFSET);
    }

    /**
     * The request header flags of a slot.
     *
     * @param slot the slot.
     * @return the flags.
     */
    public int flags(final int slot) {
        return slots.getInt(slot * SLOT_LENGTH + FLAGS_OFFSET);
    }

    /**
     * When the request of a slot was read.
     *
     * @param slot the slot.
     * @return the node NanoClock reading of the reader.
     */
    public long receivedNs(final int slot) {
        return slots.getLong(slot * SLOT_LENGTH + RECEIVED_NS_OFFSET);
    }

    /**
     * Frees a slot after its result was handed over.
     *
     * @param slot the slot.
     */
    public void free(final int slot) {
        slots.putIntRelease(slot * SLOT_LENGTH + STATE_OFFSET, FREE);
    }
}
