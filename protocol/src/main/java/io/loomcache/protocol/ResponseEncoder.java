package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.ADDRESS_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.BOOLEAN_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.BOOLEAN_RESULT_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.ERROR_CODE_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.ERROR_MESSAGE_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.ERROR_MIN_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.LEADER_NODE_ID_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.LONG_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.LONG_RESULT_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.MAX_ADDRESS_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.MAX_ERROR_MESSAGE_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.PARTITION_ID_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.PARTITION_TABLE_VERSION_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.REDIRECT_MIN_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.RETRY_AFTER_MS_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.SERVER_BUSY_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.VALUE_MIN_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.VALUE_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of the generic responses ({@link ResponseDescriptor}). Each method either writes one whole frame
 * at the wrapped offset that a {@link FrameDecoder} and a {@link ResponseDecoder} built with the same
 * {@link ProtocolLimits} accept, and returns its length, or writes nothing and returns minus an {@link ErrorCode}:
 * {@link ErrorCode#VALUE_TOO_LONG} for a value above {@code maxValueLength}, {@link ErrorCode#FRAME_TOO_LONG} for a
 * frame above {@code maxFrameLength}, {@link ErrorCode#INVALID_ARGUMENT} for a negative length or a field out of its
 * range. A server answers such a failure with {@link #error(long, int)} instead. Error messages are truncated rather
 * than refused, so that an error can always be answered. Not thread-safe; allocates nothing.
 */
public final class ResponseEncoder {
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private final int maxFrameLength;
    private final int maxValueLength;
    private MutableDirectBuffer buffer;
    private int offset;
    private int version = FrameHeaderDescriptor.PROTOCOL_VERSION;

    /**
     * Creates an encoder that keeps frames within {@link ProtocolLimits#DEFAULTS}.
     */
    public ResponseEncoder() {
        this(ProtocolLimits.DEFAULTS);
    }

    /**
     * Creates an encoder that keeps frames within the peer's limits.
     *
     * @param limits the limits the receiving decoders enforce: frame and value lengths are used here.
     */
    public ResponseEncoder(final ProtocolLimits limits) {
        this.maxFrameLength = limits.maxFrameLength();
        this.maxValueLength = limits.maxValueLength();
    }

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public ResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the protocol version written into the header of every response from now on: the version of the request
     * answered, which is the one its connection negotiated.
     *
     * @param version a version within {@link FrameHeaderDescriptor#MIN_VERSION}..{@link
     *     FrameHeaderDescriptor#MAX_VERSION}; {@link FrameHeaderDescriptor#PROTOCOL_VERSION} until set.
     * @return this.
     */
    public ResponseEncoder version(final int version) {
        this.version = version;
        return this;
    }

    /**
     * Encodes RESPONSE_OK.
     *
     * @param correlationId the request's correlation id.
     * @return the frame length in bytes (always fits: it is a bare header).
     */
    public int ok(final long correlationId) {
        return finish(Opcodes.RESPONSE_OK, correlationId, 0);
    }

    /**
     * Encodes RESPONSE_NOT_FOUND.
     *
     * @param correlationId the request's correlation id.
     * @return the frame length in bytes (always fits: it is a bare header).
     */
    public int notFound(final long correlationId) {
        return finish(Opcodes.RESPONSE_NOT_FOUND, correlationId, 0);
    }

    /**
     * Encodes RESPONSE_VALUE.
     *
     * @param correlationId the request's correlation id.
     * @param src the value bytes.
     * @param srcOffset the index of the first value byte.
     * @param length the value length in bytes.
     * @return the frame length in bytes, or minus {@link ErrorCode#VALUE_TOO_LONG}, {@link ErrorCode#FRAME_TOO_LONG}
     *     or {@link ErrorCode#INVALID_ARGUMENT} (negative length), nothing written.
     */
    public int value(final long correlationId, final DirectBuffer src, final int srcOffset, final int length) {
        if (length < 0) {
            return -ErrorCode.INVALID_ARGUMENT;
        }
        if (length > maxValueLength) {
            return -ErrorCode.VALUE_TOO_LONG;
        }
        if (!fits(VALUE_MIN_BODY_LENGTH + (long)length)) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        final int body = offset + HEADER_LENGTH;
        final int limit = VarData.put(buffer, body + VALUE_OFFSET, src, srcOffset, length);
        return finish(Opcodes.RESPONSE_VALUE, correlationId, limit - body);
    }

    /**
     * Encodes RESPONSE_BOOLEAN.
     *
     * @param correlationId the request's correlation id.
     * @param result the result.
     * @return the frame length in bytes, or minus {@link ErrorCode#FRAME_TOO_LONG}, nothing written.
     */
    public int booleanResult(final long correlationId, final boolean result) {
        if (!fits(BOOLEAN_BODY_LENGTH)) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        buffer.putByte(offset + HEADER_LENGTH + BOOLEAN_RESULT_OFFSET, (byte)(result ? 1 : 0));
        return finish(Opcodes.RESPONSE_BOOLEAN, correlationId, BOOLEAN_BODY_LENGTH);
    }

    /**
     * Encodes RESPONSE_LONG, such as a size or a TTL.
     *
     * @param correlationId the request's correlation id.
     * @param result the result.
     * @return the frame length in bytes, or minus {@link ErrorCode#FRAME_TOO_LONG}, nothing written.
     */
    public int longResult(final long correlationId, final long result) {
        if (!fits(LONG_BODY_LENGTH)) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        buffer.putLong(offset + HEADER_LENGTH + LONG_RESULT_OFFSET, result, BYTE_ORDER);
        return finish(Opcodes.RESPONSE_LONG, correlationId, LONG_BODY_LENGTH);
    }

    /**
     * Encodes RESPONSE_ERROR with the code's standard description as the message.
     *
     * @param correlationId the request's correlation id.
     * @param errorCode an {@link ErrorCode} other than NONE.
     * @return the frame length in bytes, or minus {@link ErrorCode#INVALID_ARGUMENT} (code not positive) or
     *     {@link ErrorCode#FRAME_TOO_LONG}, nothing written.
     */
    public int error(final long correlationId, final int errorCode) {
        final DirectBuffer message = ErrorCode.descriptionBytes(errorCode);
        return error(correlationId, errorCode, message, 0, message.capacity());
    }

    /**
     * Encodes RESPONSE_ERROR. A message longer than {@link ResponseDescriptor#MAX_ERROR_MESSAGE_LENGTH}, or than the
     * room left in {@code maxFrameLength}, is truncated to fit (possibly inside a UTF-8 sequence: it is a diagnostic).
     *
     * @param correlationId the request's correlation id.
     * @param errorCode an {@link ErrorCode} other than NONE (any positive code is carried).
     * @param message the message bytes (UTF-8).
     * @param messageOffset the index of the first message byte.
     * @param messageLength the message length in bytes.
     * @return the frame length in bytes, or minus {@link ErrorCode#INVALID_ARGUMENT} (error code not positive,
     *     negative message length) or {@link ErrorCode#FRAME_TOO_LONG} (not even an empty message fits), nothing
     *     written.
     */
    public int error(
        final long correlationId,
        final int errorCode,
        final DirectBuffer message,
        final int messageOffset,
        final int messageLength) {
        if (errorCode <= ErrorCode.NONE || messageLength < 0) {
            return -ErrorCode.INVALID_ARGUMENT;
        }
        final int room = maxFrameLength - HEADER_LENGTH - ERROR_MIN_BODY_LENGTH;
        if (room < 0) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        final int length = Math.min(messageLength, Math.min(MAX_ERROR_MESSAGE_LENGTH, room));
        final int body = offset + HEADER_LENGTH;
        buffer.putInt(body + ERROR_CODE_OFFSET, errorCode, BYTE_ORDER);
        final int limit = VarData.put(buffer, body + ERROR_MESSAGE_OFFSET, message, messageOffset, length);
        return finish(Opcodes.RESPONSE_ERROR, correlationId, limit - body);
    }

    /**
     * Encodes RESPONSE_REDIRECT.
     *
     * @param correlationId the request's correlation id.
     * @param partitionTableVersion the version of the sender's partition table.
     * @param partitionId the partition concerned, -1 when not partition-specific.
     * @param leaderNodeId the node to ask, -1 when unknown.
     * @param address that node's "host:port" bytes, possibly empty.
     * @param addressOffset the index of the first address byte.
     * @param addressLength the address length in bytes, at most {@link ResponseDescriptor#MAX_ADDRESS_LENGTH}.
     * @return the frame length in bytes, or minus {@link ErrorCode#INVALID_ARGUMENT} (address length out of range) or
     *     {@link ErrorCode#FRAME_TOO_LONG}, nothing written.
     */
    public int redirect(
        final long correlationId,
        final long partitionTableVersion,
        final int partitionId,
        final int leaderNodeId,
        final DirectBuffer address,
        final int addressOffset,
        final int addressLength) {
        if (addressLength < 0 || addressLength > MAX_ADDRESS_LENGTH) {
            return -ErrorCode.INVALID_ARGUMENT;
        }
        if (!fits(REDIRECT_MIN_BODY_LENGTH + (long)addressLength)) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        final int body = offset + HEADER_LENGTH;
        buffer.putLong(body + PARTITION_TABLE_VERSION_OFFSET, partitionTableVersion, BYTE_ORDER);
        buffer.putInt(body + PARTITION_ID_OFFSET, partitionId, BYTE_ORDER);
        buffer.putInt(body + LEADER_NODE_ID_OFFSET, leaderNodeId, BYTE_ORDER);
        final int limit = VarData.put(buffer, body + ADDRESS_OFFSET, address, addressOffset, addressLength);
        return finish(Opcodes.RESPONSE_REDIRECT, correlationId, limit - body);
    }

    /**
     * Encodes RESPONSE_SERVER_BUSY.
     *
     * @param correlationId the request's correlation id.
     * @param retryAfterMs a hint in milliseconds, &gt;= 0.
     * @return the frame length in bytes, or minus {@link ErrorCode#INVALID_ARGUMENT} (negative hint) or
     *     {@link ErrorCode#FRAME_TOO_LONG}, nothing written.
     */
    public int serverBusy(final long correlationId, final int retryAfterMs) {
        if (retryAfterMs < 0) {
            return -ErrorCode.INVALID_ARGUMENT;
        }
        if (!fits(SERVER_BUSY_BODY_LENGTH)) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        buffer.putInt(offset + HEADER_LENGTH + RETRY_AFTER_MS_OFFSET, retryAfterMs, BYTE_ORDER);
        return finish(Opcodes.RESPONSE_SERVER_BUSY, correlationId, SERVER_BUSY_BODY_LENGTH);
    }

    /**
     * Encodes RESPONSE_SEQUENCE_LOST: events of a subscription were dropped.
     *
     * @param correlationId the subscription's correlation id.
     * @param nextSequence the sequence of the next event the server will deliver.
     * @return the frame length in bytes, or minus {@link ErrorCode#FRAME_TOO_LONG}, nothing written.
     */
    public int sequenceLost(final long correlationId, final long nextSequence) {
        if (!fits(LONG_BODY_LENGTH)) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        buffer.putLong(offset + HEADER_LENGTH + LONG_RESULT_OFFSET, nextSequence, BYTE_ORDER);
        return finish(Opcodes.RESPONSE_SEQUENCE_LOST, correlationId, LONG_BODY_LENGTH);
    }

    private boolean fits(final long bodyLength) {
        return HEADER_LENGTH + bodyLength <= maxFrameLength;
    }

    private int finish(final int opcode, final long correlationId, final int bodyLength) {
        header.wrap(buffer, offset).header(opcode, 0, correlationId, bodyLength).version(version);
        return HEADER_LENGTH + bodyLength;
    }
}
