package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Cuts a byte stream (whatever chunks socket reads return) into frames and hands each to a {@link FrameHandler}. A
 * frame wholly inside the chunk is handed over in place, without a copy; only a frame split across chunks is assembled.
 * Assembly memory grows only as body bytes arrive, never from what a header announces: a small base buffer holds
 * headers and small frames, a larger one is taken from {@link AssemblyBuffers} (doubling, capped at the announced frame
 * length) as more of the body comes in, and is given back as soon as the frame is delivered, so an idle connection
 * holds the base buffer only. When {@link AssemblyBuffers#acquire} refuses (the node's budget for partial frames is
 * spent), the frame is refused instead: the handler is told through {@link FrameHandler#onFrameRefused}, the rest of
 * its body is skipped as it arrives, and the stream goes on. Each header is validated as soon as its 16 bytes are in
 * ({@link FrameHeaderDecoder#validate}, then the opcode and minimum body length against the {@link CommandTable}),
 * before waiting for the body; a body longer than its opcode's layout is a frame from a newer peer and is delivered
 * whole. A bad header puts the decoder in a failed state: the error is returned as a negative {@link ErrorCode}, never
 * thrown, and the caller closes the connection. A {@link RuntimeException} thrown by the handler is caught, not
 * re-thrown: the decoder fails with {@link ErrorCode#INTERNAL_ERROR} and keeps the exception in {@link
 * #handlerException()} for the caller to count and log, so that a bug in one request's handling closes that connection
 * with an error code instead of unwinding the caller's connection loop (an {@link Error} still propagates, after
 * failing the decoder). Single-threaded: one instance per connection; the caller must call {@link #release()} when the
 * connection ends. Allocates nothing per frame except what {@link AssemblyBuffers} allocates for split frames larger
 * than the base buffer.
 */
public final class FrameDecoder {
    /** Default capacity of the base assembly buffer in bytes. */
    public static final int DEFAULT_INITIAL_BUFFER_LENGTH = 4096;

    private final FrameHandler handler;
    private final int maxFrameLength;
    private final AssemblyBuffers buffers;
    private final UnsafeBuffer base;
    private UnsafeBuffer partial;
    private int partialLength;
    private int partialFrameLength;
    private int discardRemaining;
    private int decodeError;
    private RuntimeException handlerException;

    /**
     * Creates a decoder with a {@link #DEFAULT_INITIAL_BUFFER_LENGTH} base buffer and no assembly budget; it keeps
     * its largest assembly buffer ({@link AssemblyBuffers#retaining()}).
     *
     * @param limits the limits; only {@code maxFrameLength} is used here.
     * @param handler receives every complete frame.
     */
    public FrameDecoder(final ProtocolLimits limits, final FrameHandler handler) {
        this(limits, handler, DEFAULT_INITIAL_BUFFER_LENGTH, AssemblyBuffers.retaining());
    }

    /**
     * Creates a decoder with no assembly budget; it keeps its largest assembly buffer
     * ({@link AssemblyBuffers#retaining()}).
     *
     * @param limits the limits; only {@code maxFrameLength} is used here.
     * @param handler receives every complete frame.
     * @param initialBufferLength base buffer capacity, clamped to [header length, maxFrameLength].
     */
    public FrameDecoder(final ProtocolLimits limits, final FrameHandler handler, final int initialBufferLength) {
        this(limits, handler, initialBufferLength, AssemblyBuffers.retaining());
    }

    /**
     * Creates a decoder.
     *
     * @param limits the limits; only {@code maxFrameLength} is used here.
     * @param handler receives every complete frame.
     * @param initialBufferLength base buffer capacity, clamped to [header length, maxFrameLength].
     * @param buffers where buffers for split frames larger than the base come from, and go back to.
     */
    public FrameDecoder(
        final ProtocolLimits limits,
        final FrameHandler handler,
        final int initialBufferLength,
        final AssemblyBuffers buffers) {
        this.handler = handler;
        this.maxFrameLength = limits.maxFrameLength();
        this.buffers = buffers;
        final int capacity = Math.max(Math.min(initialBufferLength, maxFrameLength), HEADER_LENGTH);
        this.base = new UnsafeBuffer(new byte[capacity]);
        this.partial = base;
    }

    /**
     * Consumes a chunk of the stream, delivering every frame it completes, in order. Reads only
     * {@code [offset, offset + length)} of {@code src}.
     *
     * @param src the bytes read.
     * @param offset the index of the first new byte.
     * @param length the number of new bytes.
     * @return the number of frames delivered (&gt;= 0; refused frames are not counted), or minus the
     *     {@link ErrorCode} once failed (a bad header, or {@link ErrorCode#INTERNAL_ERROR} when the handler threw);
     *     frames before the failure in the same chunk have then already been delivered.
     */
    public int onBytes(final DirectBuffer src, final int offset, final int length) {
        if (decodeError != ErrorCode.NONE) {
            return -decodeError;
        }
        final int end = offset + length;
        int position = offset;
        int frames = 0;
        while (position < end) {
            if (discardRemaining > 0) {
                final int skipped = Math.min(discardRemaining, end - position);
                discardRemaining -= skipped;
                position += skipped;
            } else if (partialLength > 0) {
                position = fillPartial(src, position, end);
                if (position < 0) {
                    return position;
                }
                if (partialLength == 0) {
                    continue;
                }
                if (partialLength < HEADER_LENGTH || partialLength < partialFrameLength) {
                    break;
                }
                partialLength = 0;
                final boolean delivered = deliver(partial, 0, partialFrameLength);
                shrink();
                if (!delivered) {
                    return -ErrorCode.INTERNAL_ERROR;
                }
                frames++;
            } else if (end - position < HEADER_LENGTH) {
                partial.putBytes(0, src, position, end - position);
                partialLength = end - position;
                partialFrameLength = 0;
                position = end;
            } else {
                final int frameLength = checkHeader(src, position);
                if (frameLength < 0) {
                    return fail(-frameLength);
                }
                if (frameLength <= end - position) {
                    if (!deliver(src, position, frameLength)) {
                        return -ErrorCode.INTERNAL_ERROR;
                    }
                    frames++;
                    position += frameLength;
                } else if (ensureCapacity(end - position, frameLength)) {
                    partial.putBytes(0, src, position, end - position);
                    partialLength = end - position;
                    partialFrameLength = frameLength;
                    position = end;
                } else {
                    if (!refuse(src, position, frameLength)) {
                        return -ErrorCode.INTERNAL_ERROR;
                    }
                    discardRemaining = frameLength;
                }
            }
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
        int error = FrameHeaderDecoder.validate(buffer, index, maxFrameLength - HEADER_LENGTH);
        final int bodyLength = buffer.getInt(index + BODY_LENGTH_OFFSET, BYTE_ORDER);
        if (error == ErrorCode.NONE) {
            error = CommandTable.check(buffer.getShort(index + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF, bodyLength);
        }
        return error == ErrorCode.NONE ? HEADER_LENGTH + bodyLength : -error;
    }

    /**
     * Adds bytes to the frame being assembled; once its header is complete, grows the buffer for the body bytes at
     * hand, or refuses the frame (skipping the rest of it) when no larger buffer can be had.
     *
     * @return the new position, or minus the {@link ErrorCode} once failed.
     */
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
            partialFrameLength = frameLength;
        }
        final int bodyBytes = Math.min(partialFrameLength - partialLength, end - index);
        if (!ensureCapacity(partialLength + bodyBytes, partialFrameLength)) {
            if (!refuse(partial, 0, partialFrameLength)) {
                return -ErrorCode.INTERNAL_ERROR;
            }
            discardRemaining = partialFrameLength - partialLength;
            partialLength = 0;
            shrink();
            return index;
        }
        partial.putBytes(partialLength, src, index, bodyBytes);
        partialLength += bodyBytes;
        return index + bodyBytes;
    }

    /**
     * Makes room for {@code needed} bytes of a frame of {@code frameLength}: doubles the buffer (at least to
     * {@code needed}, at most to the frame length), keeping the bytes assembled so far.
     *
     * @return false when {@link AssemblyBuffers} refused the larger buffer.
     */
    private boolean ensureCapacity(final int needed, final int frameLength) {
        final int capacity = partial.capacity();
        if (needed <= capacity) {
            return true;
        }
        final int target = (int)Math.min(frameLength, Math.max(needed, 2L * capacity));
        final UnsafeBuffer grown = buffers.acquire(target);
        if (grown == null) {
            return false;
        }
        grown.putBytes(0, partial, 0, partialLength);
        shrink();
        partial = grown;
        return true;
    }

    /** Gives a grown buffer back and returns to the base buffer. */
    private void shrink() {
        if (partial != base) {
            final UnsafeBuffer grown = partial;
            partial = base;
            buffers.release(grown);
        }
    }

    /**
     * Tells the handler a frame is refused, turning a {@link RuntimeException} it throws into a failed decoder.
     *
     * @return true when the handler returned normally.
     */
    private boolean refuse(final DirectBuffer header, final int offset, final int frameLength) {
        return handOver(true, header, offset, frameLength);
    }

    /**
     * Hands one frame to the handler, turning a {@link RuntimeException} it throws into a failed decoder.
     *
     * @return true when the handler returned normally, false when it threw and the decoder is now failed.
     */
    private boolean deliver(final DirectBuffer buffer, final int offset, final int length) {
        return handOver(false, buffer, offset, length);
    }

    private boolean handOver(final boolean refused, final DirectBuffer buffer, final int offset, final int length) {
        boolean handled = false;
        try {
            if (refused) {
                handler.onFrameRefused(buffer, offset, length);
            } else {
                handler.onFrame(buffer, offset, length);
            }
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
        decodeError = code;
        partialLength = 0;
        discardRemaining = 0;
        shrink();
        return -code;
    }

    /**
     * The error that failed this decoder.
     *
     * @return the {@link ErrorCode}, or {@link ErrorCode#NONE} while healthy.
     */
    public int decodeError() {
        return decodeError;
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
        return decodeError != ErrorCode.NONE;
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
     * Whether the decoder is inside a frame: bytes of an incomplete frame are buffered, or a refused frame's body is
     * still being skipped.
     *
     * @return true between a frame's first byte and its last.
     */
    public boolean inFrame() {
        return partialLength > 0 || discardRemaining > 0;
    }

    /**
     * The current capacity of the assembly buffer: the base buffer's unless a split frame larger than it is being
     * assembled.
     *
     * @return bytes.
     */
    public int bufferCapacity() {
        return partial.capacity();
    }

    /**
     * Forgets any partial frame and error, to reuse this decoder for a new connection; gives back a grown buffer.
     */
    public void reset() {
        release();
        partialFrameLength = 0;
        decodeError = ErrorCode.NONE;
        handlerException = null;
    }

    /**
     * Drops any partial frame and gives a grown assembly buffer back to {@link AssemblyBuffers}; call when the
     * connection ends, on the decoder's thread. Idempotent.
     */
    public void release() {
        partialLength = 0;
        discardRemaining = 0;
        shrink();
    }
}
