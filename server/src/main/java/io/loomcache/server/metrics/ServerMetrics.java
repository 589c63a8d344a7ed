package io.loomcache.server.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.server.executor.IncrementalSnapshot;
import io.loomcache.server.executor.PartitionAgent;
import io.loomcache.server.log.NodeLog;
import io.loomcache.store.StoreCounters;

/**
 * The node's meters. Request latency by opcode is counted by {@link LatencyRecorder}s (one per executor, written
 * without atomics) and printed as Prometheus histograms at scrape; Micrometer's timers did a binary search over
 * their buckets and three atomic updates per request, ~5% of a request at pipeline 1. Every other meter touched on a
 * hot path (error counters by code, socket syscall counters) is created in the constructor and indexed by an int,
 * so recording is an array load plus Micrometer's lock-free adders: no allocation, any thread. Store and executor
 * state is read at scrape time through function counters and gauges over thread-safe counters only.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<LatencyRecorder> latencyRecorders = new CopyOnWriteArrayList<>();
    private final LatencyRecorder sharedLatency = LatencyRecorder.concurrent();
    private final Counter[] errorCounters = new Counter[ErrorCode.MAX_CODE + 1];
    private final Counter busyResponses;
    private final Counter droppedResponses;
    private final Counter socketReads;
    private final Counter socketWrites;
    private final Counter slowConsumers;
    private final Counter readTimeouts;
    private final Counter refusedConnections;

    /**
     * Creates the registry and every hot-path meter.
     */
    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        latencyRecorders.add(sharedLatency);
        for (int code = 1; code <= ErrorCode.MAX_CODE; code++) {
            errorCounters[code] = Counter.builder("loomcache.request.errors")
                .description("RESPONSE_ERROR frames sent, by error code")
                .tag("code", ErrorCode.name(code))
                .register(registry);
        }
        busyResponses = counter("loomcache.server.busy.responses", "RESPONSE_SERVER_BUSY frames sent");
        droppedResponses = counter("loomcache.responses.dropped", "responses whose connection had closed");
        socketReads = counter("loomcache.socket.reads", "read syscalls (or Netty reads) of client connections");
        socketWrites = counter("loomcache.socket.writes", "write syscalls (or Netty flushes) to client connections");
        slowConsumers = counter("loomcache.connections.slow.consumer", "connections dropped for not reading");
        readTimeouts = counter("loomcache.connections.read.timeout", "connections closed by the read deadline");
        refusedConnections = counter("loomcache.connections.refused", "connections refused at accept");
    }

    private Counter counter(final String name, final String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /**
     * A latency recorder for one executor (one writer at a time), summed into the request histograms at scrape.
     *
     * @return the recorder, registered.
     */
    public LatencyRecorder newLatencyRecorder() {
        final LatencyRecorder recorder = LatencyRecorder.singleWriter();
        latencyRecorders.add(recorder);
        return recorder;
    }

    /**
     * The recorder any thread may write, for requests answered off an executor (fan-out refusals, the conductor).
     *
     * @return the shared recorder.
     */
    public LatencyRecorder sharedLatency() {
        return sharedLatency;
    }

    /**
     * Counts an error response; any thread.
     *
     * @param errorCode the code sent.
     */
    public void errorResponse(final int errorCode) {
        if (errorCode > 0 && errorCode <= ErrorCode.MAX_CODE) {
            errorCounters[errorCode].increment();
        }
    }

    /** Counts a SERVER_BUSY response; any thread. */
    public void busyResponse() {
        busyResponses.increment();
    }

    /** Counts a response for a connection that had closed; any thread. */
    public void droppedResponse() {
        droppedResponses.increment();
    }

    /** Counts a socket read; any thread. */
    public void socketRead() {
        socketReads.increment();
    }

    /** Counts a socket write; any thread. */
    public void socketWrite() {
        socketWrites.increment();
    }

    /** Counts a connection dropped as a slow consumer; any thread. */
    public void slowConsumer() {
        slowConsumers.increment();
    }

    /** Counts a connection closed by the read deadline; any thread. */
    public void readTimeout() {
        readTimeouts.increment();
    }

    /** Counts a refused connection; any thread. */
    public void refusedConnection() {
        refusedConnections.increment();
    }

    /**
     * Socket writes so far, for tests and tools.
     *
     * @return the count.
     */
    public long socketWrites() {
        return (long)socketWrites.count();
    }

    /**
     * Requests answered so far for an opcode, summed over every recorder; for tests and tools.
     *
     * @param opcode the opcode.
     * @return the count.
     */
    public long requests(final int opcode) {
        final int slot = LatencyRecorder.slot(opcode);
        if (slot < 0) {
            return 0;
        }
        final long[] buckets = new long[LatencyRecorder.BUCKETS];
        sumInto(slot, buckets);
        return Arrays.stream(buckets).sum();
    }

    /**
     * Registers the store and executor meters, read at scrape time.
     *
     * @param executors the node's executors.
     * @param evictionPolicy the policy tag of the eviction counter.
     */
    public void bindExecutors(final List<PartitionAgent> executors, final String evictionPolicy) {
        functionCounter("loomcache.cache.hits", "gets that found a value", executors, StoreCounters::hits);
        functionCounter("loomcache.cache.misses", "gets that found nothing", executors, StoreCounters::misses);
        functionCounter("loomcache.cache.expirations", "entries removed by TTL", executors,
            StoreCounters::expirations);
        FunctionCounter.builder("loomcache.evictions", executors, list -> sum(list, StoreCounters::evictions))
            .description("entries evicted under the memory cap").tag("policy", evictionPolicy).register(registry);
        Gauge.builder("loomcache.cache.entries", executors, list -> sum(list, StoreCounters::size))
            .description("entries held, expired ones not yet swept included").register(registry);
        Gauge.builder("loomcache.cache.used.bytes", executors, list -> sum(list, StoreCounters::usedBytes))
            .description("bytes counted against the memory cap").register(registry);
        for (final PartitionAgent executor : executors) {
            final String tag = Integer.toString(executor.index());
            Gauge.builder("loomcache.executor.queue.bytes", executor, e -> e.requests().size())
                .description("bytes waiting in the executor's request ring").tag("executor", tag).register(registry);
            Gauge.builder("loomcache.wal.durable.index", executor, PartitionAgent::durableIndex)
                .description("highest WAL index forced to storage").tag("executor", tag).register(registry);
            if (executor.snapshot() != null) {
                bindSnapshot(executor.snapshot(), tag);
            }
        }
    }

    private void bindSnapshot(final IncrementalSnapshot snapshot, final String tag) {
        FunctionCounter.builder("loomcache.snapshots", snapshot, IncrementalSnapshot::snapshots)
            .description("snapshots published").tag("executor", tag).register(registry);
        FunctionCounter.builder("loomcache.snapshot.restarts", snapshot, IncrementalSnapshot::restarts)
            .description("snapshot walks restarted after collecting more than the memory cap").tag("executor", tag)
            .register(registry);
        FunctionCounter.builder("loomcache.snapshot.failures", snapshot, IncrementalSnapshot::failures)
            .description("snapshots given up on an I/O error").tag("executor", tag).register(registry);
        Gauge.builder("loomcache.snapshot.in.progress", snapshot, s -> s.inProgress() ? 1 : 0)
            .description("1 while a snapshot is being walked or synced").tag("executor", tag).register(registry);
        Gauge.builder("loomcache.snapshot.last.duration.seconds", snapshot, s -> s.lastDurationNs() / 1e9)
            .description("start to publication of the last snapshot").tag("executor", tag).register(registry);
        Gauge.builder("loomcache.snapshot.last.entries", snapshot, IncrementalSnapshot::lastEntries)
            .description("entries in the last snapshot").tag("executor", tag).register(registry);
    }

    /**
     * Registers the node's one error counter, {@code loomcache_errors_total{component}}: every error reported to the
     * node's log, by {@link NodeLog.Component}, read at scrape time.
     *
     * @param log the node's log.
     */
    public void bindErrors(final NodeLog log) {
        for (final NodeLog.Component component : NodeLog.Component.values()) {
            FunctionCounter.builder("loomcache.errors", log, l -> l.errors(component))
                .description("errors reported to the node's log, by component (each distinct one logged with its " +
                    "stack trace once)").tag("component", component.label()).register(registry);
        }
    }

    /**
     * Registers a gauge.
     *
     * @param name the meter name.
     * @param description one line.
     * @param source the object read.
     * @param reader reads the value at scrape time; must be thread-safe.
     * @param <T> the source type.
     */
    public <T> void gauge(
        final String name, final String description, final T source, final ToDoubleFunction<T> reader) {
        Gauge.builder(name, source, reader).description(description).register(registry);
    }

    /**
     * Registers a gauge with one tag, read from a source at scrape time.
     *
     * @param name the meter name.
     * @param description one line.
     * @param source the object read.
     * @param reader reads the value at scrape time; must be thread-safe.
     * @param tag the tag's name.
     * @param value the tag's value.
     * @param <T> the source type.
     */
    public <T> void gauge(
        final String name, final String description, final T source, final ToDoubleFunction<T> reader,
        final String tag, final String value) {
        Gauge.builder(name, source, reader).description(description).tag(tag, value).register(registry);
    }

    /**
     * Registers a counter whose value is read from a source at scrape time (Prometheus name gets {@code _total}).
     *
     * @param name the meter name.
     * @param description one line.
     * @param source the object read.
     * @param reader reads the monotonic count; must be thread-safe.
     * @param <T> the source type.
     */
    public <T> void counter(
        final String name, final String description, final T source, final ToDoubleFunction<T> reader) {
        FunctionCounter.builder(name, source, reader).description(description).register(registry);
    }

    private void functionCounter(
        final String name,
        final String description,
        final List<PartitionAgent> executors,
        final ToDoubleFunction<StoreCounters> reader) {
        FunctionCounter.builder(name, executors, list -> sum(list, reader)).description(description)
            .register(registry);
    }

    private static double sum(final List<PartitionAgent> executors, final ToDoubleFunction<StoreCounters> reader) {
        double total = 0;
        for (final PartitionAgent executor : executors) {
            total += reader.applyAsDouble(executor.counters());
        }
        return total;
    }

    /**
     * The Prometheus text exposition of every meter; the metrics HTTP thread.
     *
     * @return the scrape body.
     */
    public String scrape() {
        final StringBuilder text = new StringBuilder(registry.scrape());
        appendRequestHistograms(text);
        return text.toString();
    }

    /**
     * The request histograms in the Prometheus text format, as Micrometer's timers printed them before (same names,
     * {@code _bucket}, {@code _count}, {@code _sum} in seconds), from the recorders' buckets.
     */
    private void appendRequestHistograms(final StringBuilder text) {
        text.append("# HELP loomcache_requests_seconds requests answered, by opcode, from read to response queued\n")
            .append("# TYPE loomcache_requests_seconds histogram\n");
        final long[] buckets = new long[LatencyRecorder.BUCKETS];
        for (int slot = 0; slot < LatencyRecorder.TIMED_OPCODES.length; slot++) {
            final long sumNs = sumInto(slot, buckets);
            final String opcode = Opcodes.name(LatencyRecorder.TIMED_OPCODES[slot]);
            long cumulative = 0;
            for (int bucket = 0; bucket < LatencyRecorder.BUCKETS; bucket++) {
                cumulative += buckets[bucket];
                text.append("loomcache_requests_seconds_bucket{opcode=\"").append(opcode).append("\",le=\"");
                if (bucket == LatencyRecorder.BUCKETS - 1) {
                    text.append("+Inf");
                } else {
                    text.append(LatencyRecorder.upperBoundNs(bucket) / 1e9);
                }
                text.append("\"} ").append(cumulative).append('\n');
            }
            text.append("loomcache_requests_seconds_count{opcode=\"").append(opcode).append("\"} ").append(cumulative)
                .append('\n');
            text.append("loomcache_requests_seconds_sum{opcode=\"").append(opcode).append("\"} ").append(sumNs / 1e9)
                .append('\n');
        }
    }

    /**
     * Sums one opcode's histogram over every recorder.
     *
     * @param slot the opcode's histogram ({@link LatencyRecorder#slot}).
     * @param buckets receives the summed counts per bucket (overwritten).
     * @return the summed latencies, ns.
     */
    private long sumInto(final int slot, final long[] buckets) {
        Arrays.fill(buckets, 0);
        long sumNs = 0;
        for (final LatencyRecorder recorder : latencyRecorders) {
            for (int bucket = 0; bucket < LatencyRecorder.BUCKETS; bucket++) {
                buckets[bucket] += recorder.count(slot, bucket);
            }
            sumNs += recorder.sumNs(slot);
        }
        return sumNs;
    }

    /**
     * The underlying registry.
     *
     * @return the registry.
     */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
