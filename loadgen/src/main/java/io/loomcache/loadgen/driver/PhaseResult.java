package io.loomcache.loadgen.driver;

import java.util.List;

import io.loomcache.loadgen.wire.Outcome;
import io.loomcache.loadgen.workload.OpMix;
import org.HdrHistogram.Histogram;

/**
 * The figures of one finished phase, merged over the I/O agents: counts by outcome, latency of successful requests
 * (ns histogram), CPU time, open-loop lateness. Throughput counts successful requests (reads that missed included;
 * shed and failed ones excluded). Immutable once built, except that the histogram must not be written.
 */
public final class PhaseResult {
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MICRO = 1e3;

    private final Builder b;

    private PhaseResult(final Builder builder) {
        this.b = builder;
    }

    /**
     * The phase's label.
     *
     * @return the name.
     */
    public String name() {
        return b.phase.name();
    }

    /**
     * The phase that produced this result.
     *
     * @return the phase.
     */
    public Phase phase() {
        return b.phase;
    }

    /**
     * Wall time from the phase start to its end.
     *
     * @return ns.
     */
    public long elapsedNs() {
        return b.elapsedNs;
    }

    /**
     * Successful requests (including reads that found nothing).
     *
     * @return the count.
     */
    public long okOps() {
        return b.okOps;
    }

    /**
     * Successful reads that found no value.
     *
     * @return the count.
     */
    public long misses() {
        return b.opMisses[OpMix.GET];
    }

    /**
     * Successful reads.
     *
     * @return the count.
     */
    public long gets() {
        return b.opCounts[OpMix.GET];
    }

    /**
     * Successful writes.
     *
     * @return the count.
     */
    public long sets() {
        return b.opCounts[OpMix.SET];
    }

    /**
     * Successful requests of one operation.
     *
     * @param op an {@link OpMix} operation.
     * @return the count.
     */
    public long opCount(final int op) {
        return b.opCounts[op];
    }

    /**
     * Successful requests of one operation that missed: a read of a missing key, a conditional operation whose
     * condition did not hold (SETNX on a present key, CAS or DEL of a missing one).
     *
     * @param op an {@link OpMix} operation.
     * @return the count.
     */
    public long opMisses(final int op) {
        return b.opMisses[op];
    }

    /**
     * Requests the server shed with SERVER_BUSY.
     *
     * @return the count.
     */
    public long serverBusy() {
        return b.serverBusy;
    }

    /**
     * Requests that failed (error responses and requests lost with their connection).
     *
     * @return the count.
     */
    public long errors() {
        return b.errors;
    }

    /**
     * Errors of one kind.
     *
     * @param index an {@link ErrorKinds} index.
     * @return the count.
     */
    public long errorCount(final int index) {
        return b.errorCounts[index];
    }

    /**
     * Requests written to the sockets in this phase.
     *
     * @return the count.
     */
    public long sent() {
        return b.sent;
    }

    /**
     * Responses received: successes, shed and error responses.
     *
     * @return the count.
     */
    public long completed() {
        return b.okOps + b.serverBusy + b.errors - b.errorCounts[ErrorKinds.indexOf(Outcome.CONNECTION_LOST)];
    }

    /**
     * Latencies of successful requests in ns; read only.
     *
     * @return the histogram.
     */
    public Histogram histogram() {
        return b.histogram;
    }

    /**
     * A latency percentile of successful requests.
     *
     * @param percentile 0 .. 100.
     * @return microseconds.
     */
    public double percentileUs(final double percentile) {
        return b.histogram.getValueAtPercentile(percentile) / NANOS_PER_MICRO;
    }

    /**
     * The highest latency of a successful request.
     *
     * @return microseconds.
     */
    public double maxUs() {
        return b.histogram.getMaxValue() / NANOS_PER_MICRO;
    }

    /**
     * Successful requests per second of the phase.
     *
     * @return ops/s.
     */
    public double throughputOpsPerSec() {
        return perSecond(b.okOps);
    }

    /**
     * Shed requests per second of the phase.
     *
     * @return responses/s.
     */
    public double serverBusyPerSec() {
        return perSecond(b.serverBusy);
    }

    private double perSecond(final long count) {
        return b.elapsedNs > 0 ? count * NANOS_PER_SECOND / b.elapsedNs : 0;
    }

    /**
     * CPU time of the I/O threads in the phase.
     *
     * @return ns.
     */
    public long ioThreadCpuNs() {
        return b.ioThreadCpuNs;
    }

    /**
     * Heap bytes the I/O threads allocated in the phase (0 in the steady state: the hot path allocates nothing).
     *
     * @return bytes, or -1 when the JVM cannot tell.
     */
    public long ioThreadAllocatedBytes() {
        return b.ioThreadAllocatedBytes;
    }

    /**
     * CPU time of the whole generator process in the phase (I/O threads, JIT, GC, reporter).
     *
     * @return ns, or -1 when the JVM cannot tell.
     */
    public long processCpuNs() {
        return b.processCpuNs;
    }

    /**
     * I/O thread CPU per response received.
     *
     * @return microseconds per operation, 0 without responses.
     */
    public double ioThreadCpuUsPerOp() {
        return perOp(b.ioThreadCpuNs);
    }

    /**
     * Process CPU per response received.
     *
     * @return microseconds per operation, 0 without responses or when unknown.
     */
    public double processCpuUsPerOp() {
        return b.processCpuNs < 0 ? 0 : perOp(b.processCpuNs);
    }

    private double perOp(final long ns) {
        final long ops = completed();
        return ops > 0 ? ns / NANOS_PER_MICRO / ops : 0;
    }

    /**
     * Open-loop requests sent more than {@link IoAgent#LATE_SEND_THRESHOLD_NS} after their intended time.
     *
     * @return the count.
     */
    public long lateSends() {
        return b.lateSends;
    }

    /**
     * The largest open-loop send delay seen.
     *
     * @return ns.
     */
    public long maxLagNs() {
        return b.maxLagNs;
    }

    /**
     * Times an open-loop connection had requests due but its in-flight cap was reached.
     *
     * @return the count.
     */
    public long capStalls() {
        return b.capStalls;
    }

    /**
     * Connections that failed during the phase.
     *
     * @return the count.
     */
    public long connectionsLost() {
        return b.connectionsLost;
    }

    /**
     * The first error message of each connection that saw one, for diagnostics.
     *
     * @return distinct messages, possibly empty.
     */
    public List<String> errorMessages() {
        return b.errorMessages;
    }

    /**
     * Accumulates a result; fields are written by {@link AgentStats#addTo} and {@link LoadRun}.
     */
    static final class Builder {
        final Phase phase;
        final Histogram histogram = AgentStats.newHistogram();
        final long[] errorCounts = new long[ErrorKinds.COUNT];
        long elapsedNs;
        long okOps;
        final long[] opCounts = new long[OpMix.COUNT];
        final long[] opMisses = new long[OpMix.COUNT];
        long serverBusy;
        long errors;
        long sent;
        long lateSends;
        long maxLagNs;
        long capStalls;
        long connectionsLost;
        long ioThreadCpuNs;
        long ioThreadAllocatedBytes;
        long processCpuNs;
        List<String> errorMessages = List.of();

        Builder(final Phase phase) {
            this.phase = phase;
        }

        PhaseResult build() {
            return new PhaseResult(this);
        }
    }
}
