package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.loomcache.testkit.Allocations;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Base of the allocation tests that encode a round of frames into {@link #stream}, cut it with a
 * {@link FrameDecoder} in chunks of 7, 100, 1460 and 65536 bytes in turn (frames wholly in a chunk and frames split
 * across chunks) and decode each frame in a handler. Measured with the thread's allocated-bytes counter, not
 * timing: up to five windows run (a JIT deoptimization may rematerialize a few scalar-replaced objects) and the last
 * must allocate nothing; one allocation per frame would cost every window at least 16 bytes per frame.
 */
public abstract class FrameStreamAllocationTest {
    private static final int ROUNDS = 5_000;
    private static final int WINDOWS = 5;
    private static final int[] CHUNK_LENGTHS = {7, 100, 1460, 65536};

    /** The stream each round is encoded into, from offset 0. */
    protected final UnsafeBuffer stream = new UnsafeBuffer(new byte[64 * 1024]);
    private FrameDecoder frameDecoder;

    /**
     * Encodes one round of frames into {@link #stream}.
     *
     * @param round the round number, to vary lengths and fields.
     * @return the bytes encoded.
     */
    protected abstract int encodeRound(int round);

    /**
     * Runs the rounds window by window, failing unless the last window allocated nothing and the frame decoder ended
     * without error.
     *
     * @param limits the decoder's limits.
     * @param handler decodes every frame cut.
     * @param framesPerRound frames one round encodes, for the message.
     * @return the rounds run in all, to check the handler's counts against.
     */
    protected final long assertAllocationFree(
        final ProtocolLimits limits, final FrameHandler handler, final int framesPerRound) {
        frameDecoder = new FrameDecoder(limits, handler, 16);
        final List<Long> allocatedPerWindow = Allocations.assertAllocationFree(this::run, WINDOWS,
            ROUNDS * framesPerRound + " frames encoded, cut and decoded");
        assertEquals(0, frameDecoder.decodeError());
        return ROUNDS * (1L + allocatedPerWindow.size());
    }

    private void run() {
        for (int round = 0; round < ROUNDS; round++) {
            final int length = encodeRound(round);
            final int chunkLength = CHUNK_LENGTHS[round % CHUNK_LENGTHS.length];
            for (int position = 0; position < length; position += chunkLength) {
                if (frameDecoder.onBytes(stream, position, Math.min(chunkLength, length - position)) < 0) {
                    throw new AssertionError("frame decoder failed at round " + round);
                }
            }
        }
    }
}
