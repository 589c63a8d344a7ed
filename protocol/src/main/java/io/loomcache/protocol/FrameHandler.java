package io.loomcache.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives complete, header-validated frames from a {@link FrameDecoder}, on the decoder's thread.
 */
@FunctionalInterface
public interface FrameHandler {
    /**
     * Handles one frame. The bytes are valid only during the call (they may be the caller's read buffer or the
     * decoder's own): copy what must outlive it. The handler must not throw; if it does, the decoder fails with
     * {@link ErrorCode#INTERNAL_ERROR}.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame's header.
     * @param length the frame length in bytes, header included.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);
}
