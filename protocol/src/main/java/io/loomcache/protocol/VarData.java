package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.VarDataDescriptor.DATA_OFFSET;
import static io.loomcache.protocol.VarDataDescriptor.LENGTH_FIELD_LENGTH;
import static io.loomcache.protocol.VarDataDescriptor.LENGTH_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Validated reads and writes of {@link VarDataDescriptor variable-length fields}, shared by the codecs.
 */
final class VarData {
    private VarData() {
    }

    /**
     * Reads and validates the length prefix of a field; reads nothing past {@code limit}.
     *
     * @param buffer the frame buffer.
     * @param index the index of the field's length prefix.
     * @param limit the index one past the last body byte.
     * @param maxLength the largest data length allowed.
     * @param tooLongErrorCode the {@link ErrorCode} for a length above {@code maxLength}.
     * @return the data length, or minus an {@link ErrorCode} when the prefix or data does not fit or is too long.
     */
    static int dataLength(
        final DirectBuffer buffer, final int index, final int limit, final int maxLength, final int tooLongErrorCode) {
        if (index > limit - LENGTH_FIELD_LENGTH) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        final int length = buffer.getInt(index + LENGTH_OFFSET, BYTE_ORDER);
        if (length < 0) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        if (length > maxLength) {
            return -tooLongErrorCode;
        }
        if (length > limit - index - DATA_OFFSET) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        return length;
    }

    /**
     * Writes a field: length prefix then the bytes.
     *
     * @param buffer the destination.
     * @param index the index of the length prefix.
     * @param src the source bytes.
     * @param srcOffset the index of the first source byte.
     * @param length the number of bytes.
     * @return the index one past the field.
     */
    static int put(
        final MutableDirectBuffer buffer,
        final int index,
        final DirectBuffer src,
        final int srcOffset,
        final int length) {
        buffer.putInt(index + LENGTH_OFFSET, length, BYTE_ORDER);
        buffer.putBytes(index + DATA_OFFSET, src, srcOffset, length);
        return index + DATA_OFFSET + length;
    }
}
