package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;

/**
 * Fuzz target for the frame decoder and every message decoder. Regression mode (the default, run by the
 * {@code fuzz-regression} surefire execution) replays {@code FrameDecoderFuzzTestInputs/fuzzFrameStream/};
 * {@code JAZZER_FUZZ=1 scripts/mvnw -pl protocol test -Dtest=FrameDecoderFuzzTest} fuzzes for {@code maxDuration}.
 */
@Tag("fuzz")
class FrameDecoderFuzzTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(512, 64, 128);

    private final MapRequestDecoder mapDecoder = new MapRequestDecoder(LIMITS);
    private final HelloDecoder helloDecoder = new HelloDecoder();
    private final HelloResponseDecoder helloResponseDecoder = new HelloResponseDecoder();
    private final ResponseDecoder responseDecoder = new ResponseDecoder(LIMITS);
    private final Reencoder reencoder = new Reencoder(LIMITS.maxFrameLength());

    @FuzzTest(maxDuration = "60s")
    void fuzzFrameStream(final byte[] data) {
        final UnsafeBuffer input = new UnsafeBuffer(data);

        final Frames.RecordingHandler whole = new Frames.RecordingHandler(LIMITS.maxFrameLength());
        final FrameDecoder wholeDecoder = new FrameDecoder(LIMITS, whole, 16);
        final int wholeResult = whole.feed(wholeDecoder, input, 0, data.length);

        final Frames.RecordingHandler bytewise = new Frames.RecordingHandler(LIMITS.maxFrameLength());
        final FrameDecoder bytewiseDecoder = new FrameDecoder(LIMITS, bytewise, 16);
        int bytewiseResult = 0;
        for (int i = 0; i < data.length && bytewiseResult >= 0; i++) {
            bytewiseResult = bytewise.feed(bytewiseDecoder, input, i, 1);
        }

        assertEquals(wholeDecoder.decodeError(), bytewiseDecoder.decodeError());
        assertTrue(wholeResult >= 0 || ErrorCode.isDefined(-wholeResult));
        assertSameFrames(whole.frames, bytewise.frames);
        long total = 0;
        for (final byte[] frame : whole.frames) {
            total += frame.length;
            checkMessageDecoders(new UnsafeBuffer(frame), frame.length);
        }
        assertTrue(total <= data.length);
        checkMessageDecoders(input, data.length);
    }

    /**
     * Every decoder copes with any frame: no exception, and a valid message re-encodes to the bytes it read (all of
     * them unless a newer peer's trailing fields were skipped).
     */
    private void checkMessageDecoders(final UnsafeBuffer frame, final int length) {
        if (mapDecoder.wrap(frame, 0, length).isValid()) {
            assertArrayEquals(Reencoder.knownPart(mapDecoder), reencoder.reencode(mapDecoder));
        }
        if (helloDecoder.wrap(frame, 0, length).isValid()) {
            assertArrayEquals(Reencoder.knownPart(helloDecoder), reencoder.reencode(helloDecoder));
        }
        if (helloResponseDecoder.wrap(frame, 0, length).isValid()) {
            assertArrayEquals(Reencoder.knownPart(helloResponseDecoder), reencoder.reencode(helloResponseDecoder));
        }
        if (responseDecoder.wrap(frame, 0, length).isValid()) {
            assertArrayEquals(Reencoder.knownPart(responseDecoder), reencoder.reencode(responseDecoder));
        }
        mapDecoder.appendTo(new StringBuilder());
        responseDecoder.appendTo(new StringBuilder());
    }

    private static void assertSameFrames(final List<byte[]> expected, final List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }
}
