package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.ResponseDescriptor.ADDRESS_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.BOOLEAN_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.BOOLEAN_RESULT_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.ERROR_CODE_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.ERROR_MESSAGE_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.LEADER_NODE_ID_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.LONG_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.LONG_RESULT_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.MAX_ADDRESS_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.MAX_ERROR_MESSAGE_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.PARTITION_ID_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.PARTITION_TABLE_VERSION_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.RETRY_AFTER_MS_OFFSET;
import static io.loomcache.protocol.ResponseDescriptor.SERVER_BUSY_BODY_LENGTH;
import static io.loomcache.protocol.ResponseDescriptor.VALUE_OFFSET;
import static io.loomcache.protocol.VarDataDescriptor.DATA_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight decoder of every generic response ({@link ResponseDescriptor}): OK, VALUE, NOT_FOUND, BOOLEAN, LONG, ERROR,
 * REDIRECT, SERVER_BUSY and SEQUENCE_LOST; switch on {@link #opcode()} and read the matching accessors, the others
 * return 0. Invalid when a boolean is not 0/1, an error code is not positive, a retry hint is negative, a length
 * overruns the body ({@link ErrorCode#MALFORMED_FRAME}) or a value exceeds the limit ({@link
 * ErrorCode#VALUE_TOO_LONG}); bytes after the layout (a newer server's fields) are skipped. Not thread-safe; allocates
 * nothing except the {@code *AsString()} helpers.
 */
public final class ResponseDecoder extends MessageDecoder {
    private final ProtocolLimits limits;
    private long longResult;
    private int intField;
    private int secondIntField;
    private int dataOffset;
    private int dataLength;

    /**
     * Creates a decoder enforcing the given value limit.
     *
     * @param limits the maximum value length.
     */
    public ResponseDecoder(final ProtocolLimits limits) {
        this.limits = limits;
    }

    /**
     * Wraps and validates a frame; check {@link #isValid()} before using the fields.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame's header.
     * @param length the frame length, header included.
     * @return this.
     */
    public ResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length) {
        decode(buffer, offset, length);
        return this;
    }

    @Override
    protected boolean accepts(final int opcode) {
        return CommandTable.category(opcode) == OpcodeCategory.RESPONSE;
    }

    @Override
    protected void clearBody() {
        longResult = 0;
        intField = 0;
        secondIntField = 0;
        dataOffset = 0;
        dataLength = 0;
    }

    @Override
    protected int decodeBody(final int opcode, final int bodyOffset, final int limit) {
        final DirectBuffer buffer = buffer();
        return switch (opcode) {
            case Opcodes.RESPONSE_OK, Opcodes.RESPONSE_NOT_FOUND -> bodyOffset;
            case Opcodes.RESPONSE_VALUE ->
                decodeData(bodyOffset + VALUE_OFFSET, limit, limits.maxValueLength(), ErrorCode.VALUE_TOO_LONG);
            case Opcodes.RESPONSE_BOOLEAN -> {
                longResult = buffer.getByte(bodyOffset + BOOLEAN_RESULT_OFFSET);
                yield (longResult & ~1L) == 0 ? bodyOffset + BOOLEAN_BODY_LENGTH : -ErrorCode.MALFORMED_FRAME;
            }
            case Opcodes.RESPONSE_LONG, Opcodes.RESPONSE_SEQUENCE_LOST -> {
                longResult = buffer.getLong(bodyOffset + LONG_RESULT_OFFSET, BYTE_ORDER);
                yield bodyOffset + LONG_BODY_LENGTH;
            }
            case Opcodes.RESPONSE_ERROR -> {
                intField = buffer.getInt(bodyOffset + ERROR_CODE_OFFSET, BYTE_ORDER);
                yield intField <= 0 ? -ErrorCode.MALFORMED_FRAME : decodeData(
                    bodyOffset + ERROR_MESSAGE_OFFSET, limit, MAX_ERROR_MESSAGE_LENGTH, ErrorCode.MALFORMED_FRAME);
            }
            case Opcodes.RESPONSE_REDIRECT -> {
                longResult = buffer.getLong(bodyOffset + PARTITION_TABLE_VERSION_OFFSET, BYTE_ORDER);
                intField = buffer.getInt(bodyOffset + PARTITION_ID_OFFSET, BYTE_ORDER);
                secondIntField = buffer.getInt(bodyOffset + LEADER_NODE_ID_OFFSET, BYTE_ORDER);
                yield decodeData(bodyOffset + ADDRESS_OFFSET, limit, MAX_ADDRESS_LENGTH, ErrorCode.MALFORMED_FRAME);
            }
            case Opcodes.RESPONSE_SERVER_BUSY -> {
                intField = buffer.getInt(bodyOffset + RETRY_AFTER_MS_OFFSET, BYTE_ORDER);
                yield intField >= 0 ? bodyOffset + SERVER_BUSY_BODY_LENGTH : -ErrorCode.MALFORMED_FRAME;
            }
            default -> -ErrorCode.UNKNOWN_OPCODE;
        };
    }

    private int decodeData(final int index, final int limit, final int maxLength, final int tooLongErrorCode) {
        final int length = VarData.dataLength(buffer(), index, limit, maxLength, tooLongErrorCode);
        if (length < 0) {
            return length;
        }
        dataOffset = index + DATA_OFFSET;
        dataLength = length;
        return dataOffset + length;
    }

    /**
     * Index of the first value byte of RESPONSE_VALUE in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int valueOffset() {
        return dataOffset;
    }

    /**
     * The value length of RESPONSE_VALUE.
     *
     * @return bytes, 0 for other responses.
     */
    public int valueLength() {
        return opcode() == Opcodes.RESPONSE_VALUE ? dataLength : 0;
    }

    /**
     * Copies the value of RESPONSE_VALUE into a caller's buffer.
     *
     * @param dst the destination.
     * @param dstOffset the index to copy to.
     * @return the number of bytes copied.
     */
    public int getValue(final MutableDirectBuffer dst, final int dstOffset) {
        final int length = valueLength();
        copy(dataOffset, length, dst, dstOffset);
        return length;
    }

    /**
     * The value of RESPONSE_VALUE as UTF-8 text. Allocates: tests and tools only.
     *
     * @return a new string.
     */
    public String valueAsString() {
        return string(dataOffset, valueLength());
    }

    /**
     * The result of RESPONSE_BOOLEAN.
     *
     * @return the result, false for other responses.
     */
    public boolean booleanResult() {
        return opcode() == Opcodes.RESPONSE_BOOLEAN && longResult == 1;
    }

    /**
     * The result of RESPONSE_LONG.
     *
     * @return the result, 0 for other responses.
     */
    public long longResult() {
        return opcode() == Opcodes.RESPONSE_LONG ? longResult : 0;
    }

    /**
     * The next sequence the server will deliver, from RESPONSE_SEQUENCE_LOST.
     *
     * @return the sequence, 0 for other responses.
     */
    public long nextSequence() {
        return opcode() == Opcodes.RESPONSE_SEQUENCE_LOST ? longResult : 0;
    }

    /**
     * The error code carried by RESPONSE_ERROR (not the decode outcome, see {@link #decodeError()}).
     *
     * @return a positive {@link ErrorCode}, possibly one newer than this code knows; 0 for other responses.
     */
    public int errorCode() {
        return opcode() == Opcodes.RESPONSE_ERROR ? intField : ErrorCode.NONE;
    }

    /**
     * Index of the first message byte of RESPONSE_ERROR.
     *
     * @return the offset.
     */
    public int errorMessageOffset() {
        return dataOffset;
    }

    /**
     * The message length of RESPONSE_ERROR.
     *
     * @return bytes, 0 for other responses.
     */
    public int errorMessageLength() {
        return opcode() == Opcodes.RESPONSE_ERROR ? dataLength : 0;
    }

    /**
     * The message of RESPONSE_ERROR as UTF-8 text. Allocates: tests, tools and logging only.
     *
     * @return a new string.
     */
    public String errorMessageAsString() {
        return string(dataOffset, errorMessageLength());
    }

    /**
     * The partition table version of RESPONSE_REDIRECT.
     *
     * @return the version, 0 for other responses.
     */
    public long partitionTableVersion() {
        return opcode() == Opcodes.RESPONSE_REDIRECT ? longResult : 0;
    }

    /**
     * The partition id of RESPONSE_REDIRECT.
     *
     * @return the id, -1 when not partition-specific, 0 for other responses.
     */
    public int partitionId() {
        return opcode() == Opcodes.RESPONSE_REDIRECT ? intField : 0;
    }

    /**
     * The leader node id of RESPONSE_REDIRECT.
     *
     * @return the id, -1 when unknown, 0 for other responses.
     */
    public int leaderNodeId() {
        return opcode() == Opcodes.RESPONSE_REDIRECT ? secondIntField : 0;
    }

    /**
     * Index of the first address byte of RESPONSE_REDIRECT.
     *
     * @return the offset.
     */
    public int addressOffset() {
        return dataOffset;
    }

    /**
     * The address length of RESPONSE_REDIRECT.
     *
     * @return bytes, 0 when unknown or for other responses.
     */
    public int addressLength() {
        return opcode() == Opcodes.RESPONSE_REDIRECT ? dataLength : 0;
    }

    /**
     * The address of RESPONSE_REDIRECT as text. Allocates: tests, tools and reconnect paths only.
     *
     * @return a new string.
     */
    public String addressAsString() {
        return string(dataOffset, addressLength());
    }

    /**
     * The retry hint of RESPONSE_SERVER_BUSY.
     *
     * @return milliseconds, 0 for other responses.
     */
    public int retryAfterMs() {
        return opcode() == Opcodes.RESPONSE_SERVER_BUSY ? intField : 0;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        builder.append(" long=").append(longResult).append(" int=").append(intField).append(" int2=")
            .append(secondIntField).append(" dataLength=").append(dataLength);
    }
}
