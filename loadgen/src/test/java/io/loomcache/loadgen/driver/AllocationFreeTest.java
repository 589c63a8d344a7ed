package io.loomcache.loadgen.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import io.loomcache.client.fake.FakeClusterNode;
import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.protocol.fake.FakeLoomServer;
import io.loomcache.protocol.options.UsageException;
import io.loomcache.testkit.Prerequisites;
import org.junit.jupiter.api.Test;

/**
 * The I/O thread's hot path (encode, write, read, decode, match, record) allocates nothing in the steady state:
 * after a warm-up phase, a phase of many requests allocates no more than a fixed amount per phase (thread start,
 * schedule), far less than one byte per request.
 */
class AllocationFreeTest {
    private static final int REQUESTS = 200_000;
    private static final long PER_PHASE_ALLOWANCE_BYTES = 16 * 1024;

    @Test
    void shouldNotAllocatePerRequestInClosedOrOpenLoop() throws IOException, UsageException {
        try (FakeLoomServer server = new FakeLoomServer().answerBusyEvery(5).reverseAnswersOfEachRead();
             LoadRun run = LoadRun.open(CommandLine.parse("--port", Integer.toString(server.port()),
                 "--connections", "4", "--pipeline", "32", "--keys", "1000", "--quiet"))) {
            run.run(new Phase("warmup", Phase.LOAD, 0, 60_000_000_000L, REQUESTS));
            run.run(new Phase("warmup-open", Phase.LOAD, 1_000_000, 60_000_000_000L, REQUESTS / 4));
            final PhaseResult closed = run.run(new Phase("closed", Phase.LOAD, 0, 60_000_000_000L, REQUESTS));
            final PhaseResult open = run.run(new Phase("open", Phase.LOAD, 1_000_000, 60_000_000_000L,
                REQUESTS / 4));
            Prerequisites.require(closed.ioThreadAllocatedBytes() >= 0,
                "this JVM does not count the bytes a thread allocates (HotSpot does)");
            assertEquals(REQUESTS, closed.completed());
            assertEquals(REQUESTS / 4, open.completed());
            assertTrue(closed.ioThreadAllocatedBytes() < PER_PHASE_ALLOWANCE_BYTES,
                "closed loop allocated " + closed.ioThreadAllocatedBytes() + " bytes for " + REQUESTS + " requests");
            assertTrue(open.ioThreadAllocatedBytes() < PER_PHASE_ALLOWANCE_BYTES,
                "open loop allocated " + open.ioThreadAllocatedBytes() + " bytes for " + REQUESTS / 4 + " requests");
        }
    }

    /** Zipf keys, every operation of a mix, values of drawn lengths (encoded in place): still nothing per request. */
    @Test
    void shouldNotAllocatePerRequestWithSkewedKeysAMixAndDrawnValueLengths() throws IOException, UsageException {
        try (FakeLoomServer server = new FakeLoomServer();
             LoadRun run = LoadRun.open(CommandLine.parse("--port", Integer.toString(server.port()),
                 "--connections", "4", "--pipeline", "32", "--keys", "1000", "--key-dist", "zipfian", "--mix",
                 "get=3,set=1,del=1,setnx=1,setex=1,cas=1,getset=1", "--value-size", "8:1,100:1,300:1", "--quiet"))) {
            run.run(new Phase("warmup", Phase.LOAD, 0, 60_000_000_000L, REQUESTS));
            final PhaseResult closed = run.run(new Phase("closed", Phase.LOAD, 0, 60_000_000_000L, REQUESTS));
            Prerequisites.require(closed.ioThreadAllocatedBytes() >= 0,
                "this JVM does not count the bytes a thread allocates (HotSpot does)");
            assertEquals(REQUESTS, closed.completed());
            assertTrue(closed.ioThreadAllocatedBytes() < PER_PHASE_ALLOWANCE_BYTES,
                "allocated " + closed.ioThreadAllocatedBytes() + " bytes for " + REQUESTS + " requests");
        }
    }

    @Test
    void shouldNotAllocatePerRequestWhenRoutingKeysToTheirLeaders() throws IOException, UsageException {
        final int requests = REQUESTS / 4;
        try (FakeClusterNode even = new FakeClusterNode(1); FakeClusterNode odd = new FakeClusterNode(2)) {
            even.leads(partition -> partition % 2 == 0).redirectTo(odd);
            odd.leads(partition -> partition % 2 == 1).redirectTo(even);
            try (LoadRun run = LoadRun.open(CommandLine.parse("--nodes", even.address() + "," + odd.address(),
                "--connections", "4", "--pipeline", "32", "--keys", "1000", "--quiet"))) {
                run.run(new Phase("warmup", Phase.LOAD, 0, 60_000_000_000L, requests));
                run.run(new Phase("warmup-open", Phase.LOAD, 1_000_000, 60_000_000_000L, requests / 4));
                final PhaseResult closed = run.run(new Phase("closed", Phase.LOAD, 0, 60_000_000_000L, requests));
                final PhaseResult open = run.run(new Phase("open", Phase.LOAD, 1_000_000, 60_000_000_000L,
                    requests / 4));
                Prerequisites.require(closed.ioThreadAllocatedBytes() >= 0,
                    "this JVM does not count the bytes a thread allocates (HotSpot does)");
                assertEquals(requests, closed.okOps());
                assertEquals(requests / 4, open.okOps());
                assertTrue(closed.ioThreadAllocatedBytes() < PER_PHASE_ALLOWANCE_BYTES,
                    "routed closed loop allocated " + closed.ioThreadAllocatedBytes() + " bytes");
                assertTrue(open.ioThreadAllocatedBytes() < PER_PHASE_ALLOWANCE_BYTES,
                    "routed open loop allocated " + open.ioThreadAllocatedBytes() + " bytes");
            }
        }
    }
}
