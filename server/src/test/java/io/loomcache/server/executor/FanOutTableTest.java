package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.protocol.ProtocolLimits;

class FanOutTableTest {
    @Test
    void shouldSumPartsFromConcurrentExecutorsAndLetExactlyOneCompleteIt() throws Exception {
        final FanOutTable table = new FanOutTable(4);
        final int parts = 8;
        for (int round = 0; round < 200; round++) {
            final int slot = table.claim(42, round, Opcodes.MAP_SIZE, 0, 0, parts);
            final CyclicBarrier start = new CyclicBarrier(parts);
            final AtomicInteger completions = new AtomicInteger();
            final List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                final long part = i + 1;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (final Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                    if (table.contribute(slot, part, ErrorCode.NONE)) {
                        completions.incrementAndGet();
                    }
                }));
            }
            for (final Thread thread : threads) {
                thread.join();
            }
            assertEquals(1, completions.get());
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
            final int length = table.encodeResult(slot, new ResponseEncoder(), frame, 0);
            final ResponseDecoder decoder = new ResponseDecoder(ProtocolLimits.DEFAULTS).wrap(frame, 0, length);
            assertEquals(Opcodes.RESPONSE_LONG, decoder.opcode());
            assertEquals(round, decoder.correlationId());
            assertEquals(36, decoder.longResult());
            assertEquals(42, table.connectionId(slot));
            table.free(slot);
        }
    }

    @Test
    void shouldReportTheFirstErrorAndRunOutOfSlotsWithoutBlocking() {
        final FanOutTable table = new FanOutTable(2);
        final int first = table.claim(1, 10, Opcodes.MAP_CLEAR, 0, 0, 2);
        final int second = table.claim(1, 11, Opcodes.MAP_CLEAR, 0, 0, 2);
        assertNotEquals(first, second);
        assertEquals(FanOutTable.NO_SLOT, table.claim(1, 12, Opcodes.MAP_CLEAR, 0, 0, 2));
        assertFalse(table.contribute(first, 0, ErrorCode.SERVER_BUSY));
        assertTrue(table.contribute(first, 0, ErrorCode.INTERNAL_ERROR));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int length = table.encodeResult(first, new ResponseEncoder(), frame, 0);
        assertEquals(Opcodes.RESPONSE_SERVER_BUSY,
            new ResponseDecoder(ProtocolLimits.DEFAULTS).wrap(frame, 0, length).opcode());
        table.free(first);
        assertEquals(first, table.claim(1, 13, Opcodes.MAP_CLEAR, 0, 0, 1));
    }
}
