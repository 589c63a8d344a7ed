package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.KNOWN_FLAGS;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.PROTOCOL_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Cuts a byte stream (whatever chunks socket reads return) into frames and hands each to a {@link FrameHandler}.
 * A frame wholly inside the chunk is handed over in place, without a copy; only a frame split across chunks is
 * assembled in an internal buffer, which starts small and grows, bounded by {@code maxFrameLength}.
 * Each header is validated as soon as its 16 bytes are in (version, body length, flags, opcode, minimum body
 * length), before waiting for the body. A bad header puts the decoder in a failed state: the error is returned as
 * a negative {@link ErrorCode}, never thrown, and the caller closes the connection. A {@link RuntimeException} thrown
 * by the handler is caught, not re-thrown: the decoder fails with {@link ErrorCode#INTERNAL_ERROR} and keeps the
 * exception in {@link #handlerException()} for the caller to count and log, so that a bug in one request's handling
 * closes that connection with an error code instead of unwinding the caller's connection loop (an {@link Error}
 * still propagates, after failing the decoder). Single-threaded: one instance per connection; allocates nothing per
 * frame.
 */
public final class FrameDecoder {
    /** Default initial capacity of the assembly buffer in bytes. */
    public static final int DEFAULT_INITIAL_BUFFER_LENGTH = 4096;

    private final FrameHandler handler;
    private final int maxFrameLength;
    private UnsafeBuffer partial;
    private int partialLength;
    private int partialFrameLength;
    private int errorCode;
    private RuntimeException handlerException;

    /**
     * Creates a decoder with a {@link #DEFAULT_INITIAL_BUFFER_LENGTH} assembly buffer.
     *
     * @param limits the limits; only {@code maxFrameLength} is used here.
     * @param handler receives every complete frame.
     */
    public FrameDecoder(final ProtocolLimits limits, final FrameHandler handler) {
        this(limits, handler, DEFAULT_INITIAL_BUFFER_LENGTH);
    }

    /**
     * Creates a decoder.
     *
     * @param limits the limits; only {@code maxFrameLength} is used here.
     * @param handler receives every complete frame.
     * @param initialBufferLength initial assembly buffer capacity, clamped to [header length, maxFrameLength].
     */
    public FrameDecoder(final ProtocolLimits limits, final FrameHandler handler, final int initialBufferLength) {
        this.handler = handler;
        this.maxFrameLength = limits.maxFrameLength();
        final int capacity = Math.min(Math.max(initialBufferLength, HEADER_LENGTH), maxFrameLength);
        this.partial = new UnsafeBuffer(new byte[capacity]);
    }

    /**
     * Consumes a chunk of the stream, delivering every frame it completes, in order. Reads only
     * {@code [offset, offset + length)} of {@code src}.
     *
     * @param src the bytes read.
     * @param offset the index of the first new byte.
     * @param length the number of new bytes.
     * @return the number of frames delivered (&gt;= 0), or minus the {@link ErrorCode} once failed (a bad header, or
     *     {@link ErrorCode#INTERNAL_ERROR} when the handler threw); frames before the failure in the same chunk have
     *     then already been delivered.
     */
    public int onBytes(final DirectBuffer src, final int offset, final int length) {
        if (errorCode != ErrorCode.NONE) {
            return -errorCode;
        }
        final int end = offset + length;
        int position = offset;
        int frames = 0;
        if (partialLength > 0) {
            position = fillPartial(src, position, end);
            if (position < 0) {
                return position;
            }
            if (partialLength < HEADER_LENGTH || partialLength < partialFrameLength) {
                return 0;
            }
            partialLength = 0;
            if (!deliver(partial, 0, partialFrameLength)) {
                return -ErrorCode.INTERNAL_ERROR;
            }
            frames++;
        }
        while (end - position >= HEADER_LENGTH) {
            final int frameLength = checkHeader(src, position);
            if (frameLength < 0) {
                return fail(-frameLength);
            }
            if (frameLength > end - position) {
                break;
            }
            if (!deliver(src, position, frameLength)) {
                return -ErrorCode.INTERNAL_ERROR;
            }
            frames++;
            position += frameLength;
        }
        if (position < end) {
            startPartial(src, position, end - position);
        }
        return frames;
    }

    /**
     * Validates a header in place.
     *
     * @param buffer the buffer holding the header.
     * @param index the index of the header.
     * @return the frame length (header plus body), or minus the {@link ErrorCode}.
     */
    private int checkHeader(final DirectBuffer buffer, final int index) {
        if ((buffer.getByte(index + VERSION_OFFSET) & 0xFF) != PROTOCOL_VERSION) {
            return -ErrorCode.UNSUPPORTED_VERSION;
        }
        final int bodyLength = buffer.getInt(index + BODY_LENGTH_OFFSET, BYTE_ORDER);
        if (bodyLength < 0) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        if (bodyLength > maxFrameLength - HEADER_LENGTH) {
            return -ErrorCode.FRAME_TOO_LONG;
        }
        if ((buffer.getByte(index + FLAGS_OFFSET) & ~KNOWN_FLAGS) != 0) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        final int opcode = buffer.getShort(index + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
        final int tableError = CommandTable.check(opcode, bodyLength);
        if (tableError != ErrorCode.NONE) {
            return -tableError;
        }
        return HEADER_LENGTH + bodyLength;
    }

    private int fillPartial(final DirectBuffer src, final int position, final int end) {
        int index = position;
        if (partialLength < HEADER_LENGTH) {
            final int headerBytes = Math.min(HEADER_LENGTH - partialLength, end - index);
            partial.putBytes(partialLength, src, index, headerBytes);
            partialLength += headerBytes;
            index += headerBytes;
            if (partialLength < HEADER_LENGTH) {
                return index;
            }
            final int frameLength = checkHeader(partial, 0);
            if (frameLength < 0) {
                return fail(-frameLength);
            }
            ensureCapacity(frameLength);
            partialFrameLength = frameLength;
        }
        final int bodyBytes = Math.min(partialFrameLength - partialLength, end - index);
        partial.putBytes(partialLength, src, index, bodyBytes);
        partialLength += bodyBytes;
        return index + bodyBytes;
    }

    private void startPartial(final DirectBuffer src, final int position, final int length) {
        if (length >= HEADER_LENGTH) {
            partialFrameLength = checkHeader(src, position);
            ensureCapacity(partialFrameLength);
        } else {
            partialFrameLength = 0;
        }
        partial.putBytes(0, src, position, length);
        partialLength = length;
    }

    private void ensureCapacity(final int frameLength) {
        final int capacity = partial.capacity();
        if (frameLength > capacity) {
            final int doubled = capacity > maxFrameLength / 2 ? maxFrameLength : capacity * 2;
            final UnsafeBuffer grown = new UnsafeBuffer(new byte[Math.max(frameLength, doubled)]);
            grown.putBytes(0, partial, 0, partialLength);
            partial = grown;
        }
    }

    /**
     * Hands one frame to the handler, turning a {@link RuntimeException} it throws into a failed decoder.
     *
     * @return true when the handler returned normally, false when it threw and the decoder is now failed.
     */
    private boolean deliver(final DirectBuffer buffer, final int offset, final int length) {
        boolean handled = false;
        try {
            handler.onFrame(buffer, offset, length);
            handled = true;
        } catch (final RuntimeException ex) {
            handlerException = ex;
        } finally {
            if (!handled) {
                fail(ErrorCode.INTERNAL_ERROR);
            }
        }
        return handled;
    }

    private int fail(final int code) {
        errorCode = code;
        partialLength = 0;
        return -code;
    }

    /**
     * The error that failed this decoder.
     *
     * @return the {@link ErrorCode}, or {@link ErrorCode#NONE} while healthy.
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * The exception the handler threw when it failed this decoder with {@link ErrorCode#INTERNAL_ERROR}, for the
     * caller to count and log once per distinct cause.
     *
     * @return the exception, or null when the handler has not thrown since construction or {@link #reset()}.
     */
    public RuntimeException handlerException() {
        return handlerException;
    }

    /**
     * Tells whether a bad frame failed this decoder; the connection should be closed.
     *
     * @return true once failed.
     */
    public boolean isFailed() {
        return errorCode != ErrorCode.NONE;
    }

    /**
     * The bytes of an incomplete frame held while waiting for the rest.
     *
     * @return buffered bytes.
     */
    public int bufferedLength() {
        return partialLength;
    }

    /**
     * The current capacity of the assembly buffer, never above {@code maxFrameLength}.
     *
     * @return bytes.
     */
    public int bufferCapacity() {
        return partial.capacity();
    }

    /**
     * Forgets any partial frame and error, to reuse this decoder for a new connection; keeps the buffer.
     */
    public void reset() {
        partialLength = 0;
        partialFrameLength = 0;
        errorCode = ErrorCode.NONE;
        handlerException = null;
    }
}
