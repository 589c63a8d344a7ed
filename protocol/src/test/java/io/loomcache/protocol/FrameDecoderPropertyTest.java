package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrameDecoderPropertyTest {
    private static final int MAX_FRAME_LENGTH = Frames.SMALL_LIMITS.maxFrameLength();

    private static void assertSameFrames(final List<byte[]> expected, final List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }

    @Test
    void shouldDecodeTheSameFramesWhenTheStreamIsSplitAtEveryByteBoundary() {
        Property.forAll(200, gen -> splitAtEveryByteBoundary(Frames.validStream(gen)));
    }

    private static void splitAtEveryByteBoundary(final List<byte[]> frames) {
        final byte[] stream = Frames.concat(frames);
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);
        for (int split = 0; split <= stream.length; split++) {
            final Frames.RecordingHandler handler = new Frames.RecordingHandler(MAX_FRAME_LENGTH);
            final FrameDecoder decoder = new FrameDecoder(Frames.SMALL_LIMITS, handler, 16);
            final int first = handler.feed(decoder, buffer, 0, split);
            final int second = handler.feed(decoder, buffer, split, stream.length - split);
            assertEquals(frames.size(), first + second);
            assertEquals(0, decoder.bufferedLength());
            assertSameFrames(frames, handler.frames);
        }
    }

    @Test
    void shouldDecodeTheSameFramesInOrderWhateverTheChunkSizes() {
        Property.forAll(1000, gen -> anyChunkSizes(Frames.validStream(gen), gen.anyLong()));
    }

    private static void anyChunkSizes(final List<byte[]> frames, final long seed) {
        final byte[] stream = Frames.concat(frames);
        final Random random = new Random(seed);
        final Frames.RecordingHandler handler = new Frames.RecordingHandler(MAX_FRAME_LENGTH);
        final FrameDecoder decoder = new FrameDecoder(Frames.SMALL_LIMITS, handler, 16);
        int position = 0;
        int delivered = 0;
        while (position < stream.length) {
            final int chunk = Math.min(stream.length - position, 1 + random.nextInt(97));
            final byte[] copy = Arrays.copyOfRange(stream, position, position + chunk);
            delivered += handler.feed(decoder, new UnsafeBuffer(copy), 0, chunk);
            position += chunk;
        }
        assertEquals(frames.size(), delivered);
        assertSameFrames(frames, handler.frames);
    }

    @Test
    void shouldNeverThrowNorReportAFrameBeyondTheBytesGivenOnArbitraryInput() {
        Property.forAll(1000, gen -> arbitraryInput(gen.bytes(600), Frames.validStream(gen), gen.anyLong()));
    }

    private static void arbitraryInput(final byte[] garbage, final List<byte[]> prefix, final long seed) {
        final byte[] stream = Frames.concat(List.of(Frames.concat(prefix), garbage));
        final Random random = new Random(seed);
        final Frames.RecordingHandler handler = new Frames.RecordingHandler(MAX_FRAME_LENGTH);
        final FrameDecoder decoder = new FrameDecoder(Frames.SMALL_LIMITS, handler, 16);
        int position = 0;
        int delivered = 0;
        int result = 0;
        while (position < stream.length && result >= 0) {
            final int chunk = Math.min(stream.length - position, 1 + random.nextInt(64));
            result = handler.feed(decoder, new UnsafeBuffer(stream), position, chunk);
            delivered += Math.max(result, 0);
            position += chunk;
        }
        long total = 0;
        for (final byte[] frame : handler.frames) {
            total += frame.length;
        }
        if (result >= 0) {
            assertEquals(delivered, handler.frames.size());
        }
        assertTrue(total + decoder.bufferedLength() <= position);
        assertTrue(handler.frames.size() >= prefix.size());
        assertSameFrames(prefix, handler.frames.subList(0, prefix.size()));
        assertTrue(result >= 0 || ErrorCode.isDefined(-result));
    }
}
