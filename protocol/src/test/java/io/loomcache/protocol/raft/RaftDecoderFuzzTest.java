package io.loomcache.protocol.raft;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;

/**
 * Fuzz target for every Raft decoder: any bytes as a frame give a defined error code or a message that re-encodes to
 * the same bytes, and never an exception or a read outside the frame. Regression mode (the {@code fuzz-regression}
 * surefire execution) replays {@code RaftDecoderFuzzTestInputs/fuzzRaftFrame/}; {@code JAZZER_FUZZ=1 scripts/mvnw
 * -pl protocol test -Dtest=RaftDecoderFuzzTest -Dgroups=fuzz} fuzzes for {@code maxDuration}.
 */
@Tag("fuzz")
class RaftDecoderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void fuzzRaftFrame(final byte[] data) {
        RaftFrameChecks.decodeWithEveryDecoder(new UnsafeBuffer(data), 0, data.length);
    }
}
