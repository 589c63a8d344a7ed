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
}
