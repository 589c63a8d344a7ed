package io.loomcache.protocol.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Fuzz target for the RESP request parser: any bytes fed whole, one byte at a time and in 7-byte chunks, with the
 * connection's discipline (keep the bytes from an incomplete command's start, append the next chunk, parse again),
 * give the same commands and the same error, never an exception, a length beyond the bytes given or an argument
 * outside its command. The limits are small so that every one of them is reached. Regression mode (the
 * {@code fuzz-regression} surefire execution) replays {@code RespParserFuzzTestInputs/fuzzRequestStream/};
 * {@code scripts/fuzz resp} fuzzes for {@code maxDuration}.
 */
@Tag("fuzz")
class RespParserFuzzTest {
    private static final int MAX_ARGS = 16;
    private static final int MAX_BULK = 64;
    private static final int MAX_COMMAND = 512;

    @FuzzTest(maxDuration = "60s")
    void fuzzRequestStream(final byte[] data) {
        final RespConnection whole = new RespConnection(MAX_ARGS, MAX_BULK, MAX_COMMAND).receiveAll(data);
        final RespConnection bytewise = new RespConnection(MAX_ARGS, MAX_BULK, MAX_COMMAND).receiveInChunks(data, 1);
        final RespConnection sevens = new RespConnection(MAX_ARGS, MAX_BULK, MAX_COMMAND).receiveInChunks(data, 7);

        assertTrue(whole.error() >= RespRequestParser.ERROR_COMMAND_TOO_LONG && whole.error() <= 0);
        for (final RespConnection chunked : new RespConnection[] {bytewise, sevens}) {
            assertEquals(whole.error(), chunked.error());
            if (whole.error() == RespRequestParser.ERROR_EXPECTED_DOLLAR) {
                assertEquals(whole.unexpected(), chunked.unexpected());
            }
            assertTrue(RespConnection.same(whole.commands, chunked.commands), () -> "whole "
                + RespConnection.describe(whole.commands) + "\n chunked " + RespConnection.describe(chunked.commands));
            assertEquals(whole.pendingLength(), chunked.pendingLength());
        }
        long total = whole.pendingLength();
        for (final var command : whole.commands) {
            for (final byte[] arg : command) {
                total += arg.length;
            }
        }
        assertTrue(total <= data.length);
    }
}
