package io.loomcache.loadgen.driver;

import java.util.Arrays;

import io.loomcache.loadgen.workload.OpMix;
import org.HdrHistogram.Histogram;

/**
 * The statistics of one I/O agent in the current phase. The agent's thread records into plain fields and a
 * private histogram (no atomics, no allocation per operation) and publishes a copy every so often
 * ({@link #publish()}): counters into volatile fields and the histogram into a second one under this object's
 * lock, for the progress reporter to read while the phase runs. The main thread resets them between phases while
 * no agent runs.
 */
public final class AgentStats {
    /** Highest latency the histograms track; longer ones are recorded as this. */
    public static final long HIGHEST_TRACKABLE_NS = 600_000_000_000L;
    /** Significant decimal digits of the histograms. */
    public static final int SIGNIFICANT_DIGITS = 3;
    /** Request kind: a read. */
    public static final int KIND_GET = OpMix.GET;
    /** Request kind: a write. */
    public static final int KIND_SET = OpMix.SET;

    private final Histogram recording = newHistogram();
    private final Histogram published = newHistogram();
    private final long[] errorCounts = new long[ErrorKinds.COUNT];
    private final long[] opCounts = new long[OpMix.COUNT];
    private final long[] opMisses = new long[OpMix.COUNT];
    private final long[] publishedErrorCounts = new long[ErrorKinds.COUNT];
    private long okOps;
    private long serverBusy;
    private long errors;
    private long sent;
    private long lateSends;
    private long maxLagNs;
    private long capStalls;
    private long connectionsLost;
    private long cpuNs;
    private long allocatedBytes;
    private volatile long publishedOkOps;
    private volatile long publishedServerBusy;
    private volatile long publishedErrors;
    private volatile long publishedLateSends;
    private volatile long publishRequests;
    private volatile long publishedRequest;

    /**
     * Creates a latency histogram with the load generator's range and precision.
     *
     * @return a histogram of nanoseconds.
     */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /**
     * Records a successful request (owner thread).
     *
     * @param latencyNs from start to response, ns.
     * @param kind the {@link OpMix} operation.
     * @param miss true when a read found nothing or a conditional operation's condition did not hold.
     */
    public void recordOk(final long latencyNs, final int kind, final boolean miss) {
        recording.recordValue(Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS));
        okOps++;
        opCounts[kind]++;
        if (miss) {
            opMisses[kind]++;
        }
    }

    /**
     * Records a request the server shed (owner thread).
     */
    public void recordServerBusy() {
        serverBusy++;
    }

    /**
     * Records an error (owner thread).
     *
     * @param code a server error code or an {@link io.loomcache.loadgen.wire.Outcome} local code.
     * @param count how many requests it concerns.
     */
    public void recordError(final int code, final long count) {
        errorCounts[ErrorKinds.indexOf(code)] += count;
        errors += count;
    }

    /**
     * Records a request handed to the socket (owner thread).
     */
    public void recordSent() {
        sent++;
    }

    /**
     * Records an open-loop request sent after its intended time (owner thread).
     *
     * @param lagNs how late, ns.
     */
    public void recordLateSend(final long lagNs) {
        lateSends++;
        maxLagNs = Math.max(maxLagNs, lagNs);
    }

    /**
     * Records a connection that had requests due but no free in-flight slot (owner thread).
     */
    public void recordCapStall() {
        capStalls++;
    }

    /**
     * Records a connection that failed (owner thread).
     */
    public void recordConnectionLost() {
        connectionsLost++;
    }

    /**
     * Adds CPU time the owner thread spent in the phase.
     *
     * @param threadCpuNs ns of thread CPU time.
     */
    public void addCpuNs(final long threadCpuNs) {
        cpuNs += threadCpuNs;
    }

    /**
     * Adds heap bytes the owner thread allocated in the phase.
     *
     * @param bytes bytes allocated, or a negative value when the JVM cannot tell (then nothing is added).
     */
    public void addAllocatedBytes(final long bytes) {
        if (bytes >= 0 && allocatedBytes >= 0) {
            allocatedBytes += bytes;
        } else {
            allocatedBytes = -1;
        }
    }

    /**
     * Publishes the counters and moves the recorded latencies to the shared histogram (owner thread).
     */
    public void publish() {
        final long request = publishRequests;
        synchronized (this) {
            published.add(recording);
            System.arraycopy(errorCounts, 0, publishedErrorCounts, 0, errorCounts.length);
        }
        recording.reset();
        publishedOkOps = okOps;
        publishedServerBusy = serverBusy;
        publishedErrors = errors;
        publishedLateSends = lateSends;
        publishedRequest = request;
    }

    /**
     * Asks the owner to publish at its next turn (one thread at a time, e.g. the timeline's).
     *
     * @return the request's number, for {@link #publishedSince}.
     */
    public long requestPublish() {
        final long request = publishRequests + 1;
        publishRequests = request;
        return request;
    }

    /**
     * Whether a publication was asked for and not made yet (owner thread, each turn of its loop).
     *
     * @return true when the owner should publish now.
     */
    public boolean publishRequested() {
        return publishRequests != publishedRequest;
    }

    /**
     * Whether the owner published after a request (any thread).
     *
     * @param request from {@link #requestPublish()}.
     * @return true once it did.
     */
    public boolean publishedSince(final long request) {
        return publishedRequest >= request;
    }

    /**
     * Adds the published latencies to a histogram (any thread).
     *
     * @param target the histogram to add to.
     */
    public synchronized void addPublishedTo(final Histogram target) {
        target.add(published);
    }

    /**
     * Adds the published error counts by {@link ErrorKinds} index (any thread).
     *
     * @param target {@link ErrorKinds#COUNT} counts to add to.
     */
    public synchronized void addPublishedErrorCountsTo(final long[] target) {
        for (int i = 0; i < publishedErrorCounts.length; i++) {
            target[i] += publishedErrorCounts[i];
        }
    }

    /**
     * Clears everything for a new phase (main thread, while the owner does not run).
     */
    public void reset() {
        synchronized (this) {
            published.reset();
        }
        recording.reset();
        Arrays.fill(errorCounts, 0);
        Arrays.fill(opCounts, 0);
        Arrays.fill(opMisses, 0);
        okOps = 0;
        serverBusy = 0;
        errors = 0;
        sent = 0;
        lateSends = 0;
        maxLagNs = 0;
        capStalls = 0;
        connectionsLost = 0;
        cpuNs = 0;
        allocatedBytes = 0;
        publish();
    }

    /**
     * Adds this agent's final figures to a phase result (main thread, after the owner published and stopped).
     *
     * @param result the accumulating result.
     */
    void addTo(final PhaseResult.Builder result) {
        synchronized (this) {
            result.histogram.add(published);
        }
        result.okOps += okOps;
        for (int op = 0; op < OpMix.COUNT; op++) {
            result.opCounts[op] += opCounts[op];
            result.opMisses[op] += opMisses[op];
        }
        result.serverBusy += serverBusy;
        result.errors += errors;
        result.sent += sent;
        result.lateSends += lateSends;
        result.maxLagNs = Math.max(result.maxLagNs, maxLagNs);
        result.capStalls += capStalls;
        result.connectionsLost += connectionsLost;
        result.ioThreadCpuNs += cpuNs;
        result.ioThreadAllocatedBytes = result.ioThreadAllocatedBytes < 0 || allocatedBytes < 0 ? -1 :
            result.ioThreadAllocatedBytes + allocatedBytes;
        for (int i = 0; i < errorCounts.length; i++) {
            result.errorCounts[i] += errorCounts[i];
        }
    }

    /**
     * Successful requests published so far in the phase (any thread).
     *
     * @return the count.
     */
    public long publishedOkOps() {
        return publishedOkOps;
    }

    /**
     * Shed requests published so far in the phase (any thread).
     *
     * @return the count.
     */
    public long publishedServerBusy() {
        return publishedServerBusy;
    }

    /**
     * Errors published so far in the phase (any thread).
     *
     * @return the count.
     */
    public long publishedErrors() {
        return publishedErrors;
    }

    /**
     * Late open-loop sends published so far in the phase (any thread).
     *
     * @return the count.
     */
    public long publishedLateSends() {
        return publishedLateSends;
    }
}
