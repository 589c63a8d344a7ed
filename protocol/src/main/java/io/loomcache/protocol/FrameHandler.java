package io.loomcache.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives complete, header-validated frames from a {@link FrameDecoder}, on the decoder's thread.
 */
@FunctionalInterface
public interface FrameHandler {
    /**
     * Handles one frame. The bytes are valid only during the call (they may be the caller's read buffer or the
     * decoder's own): copy what must outlive it. A request's error should be answered with an error response, not
     * thrown; a {@link RuntimeException} that escapes anyway is caught by the decoder, which then fails with
     * {@link ErrorCode#INTERNAL_ERROR} (see {@link FrameDecoder#handlerException()}) and delivers nothing more.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame's header.
     * @param length the frame length in bytes, header included.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);

    /**
     * Told that a valid frame is refused without being assembled, because the memory to assemble it could not be
     * had ({@link AssemblyBuffers#acquire} answered null): the decoder skips its body and the stream stays usable.
     * The handler should answer the frame's correlation id (e.g. with {@link ErrorCode#SERVER_BUSY}). A
     * {@link RuntimeException} thrown here fails the decoder as in {@link #onFrame}. Does nothing by default.
     *
     * @param header the buffer holding the frame's 16-byte header, valid only during the call.
     * @param offset the index of the header.
     * @param frameLength the frame length announced by the header, header included.
     */
    default void onFrameRefused(final DirectBuffer header, final int offset, final int frameLength) {
    }
}
