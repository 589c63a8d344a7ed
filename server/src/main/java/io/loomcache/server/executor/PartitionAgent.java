package io.loomcache.server.executor;

import static io.loomcache.server.executor.RequestRecordDescriptor.CONNECTION_ID_OFFSET;
import static io.loomcache.server.executor.RequestRecordDescriptor.FAN_OUT_SLOT_OFFSET;
import static io.loomcache.server.executor.RequestRecordDescriptor.FRAME_OFFSET;
import static io.loomcache.server.executor.RequestRecordDescriptor.NO_FAN_OUT_SLOT;
import static io.loomcache.server.executor.RequestRecordDescriptor.RECEIVED_NS_OFFSET;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.raft.Transport;
import io.loomcache.server.config.NodeMemory;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.store.OffHeapStore;
import io.loomcache.store.StoreCounters;
import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.WriteAheadLog;

/**
 * The duty cycle of one partition executor: the only thread touching its {@link OffHeapStore} and
 * {@link WriteAheadLog}. Each {@link #doWork()} reads up to {@link #BATCH_LIMIT} request records from the
 * executor's ring, applies them, appends their effects to the WAL and stages their responses; then, under
 * {@link FsyncPolicy#BATCH}, one force covers every record appended so far before any response of the batch leaves
 * (a failed force turns the write responses into INTERNAL_ERROR); under INTERVAL and NONE responses leave right
 * after the append and {@link WriteAheadLog#doWork} forces on its own schedule. Then a step of the snapshot in
 * progress or due ({@link IncrementalSnapshot}: a bounded piece of the store per cycle), then a
 * bounded expiry sweep, whose expiries are logged as tombstones. Reads of the same batch wait too, so no client sees
 * a value (or an absence) that is not yet durable. Once the WAL failed ({@link #walFailed()}), writes are refused
 * before they touch the store and snapshots stop until a restart. Allocation-free in the steady state except for
 * responses that spill (see {@link ResponseDelivery}). Each cycle reads the context's clocks once and sets the
 * store's cached clocks to them ({@link ExecutorStore#tick}), so every request of a cycle sees the same time.
 */
public final class PartitionAgent implements Agent, ControlledMessageHandler, HeldRequests.Runner {
    /** Most requests handled per duty cycle. */
    public static final int BATCH_LIMIT = 256;
    /**
     * Most requests one WAL force covers under {@link FsyncPolicy#BATCH}: a cycle goes on reading its ring past
     * {@link #BATCH_LIMIT} so that everything queued waits for one force, as Redis forces once per event-loop pass
     * under {@code appendfsync always}; a force per 256 requests made a durable write wait for several in a row.
     */
    static final int GROUP_COMMIT_LIMIT = 16 * BATCH_LIMIT;
    private static final int SWEEP_SLOTS = 64;
    private static final int FREE = 0;
    private static final int TAKEN = 1;
    private static final int CLOSED = 2;

    private final int index;
    private final ManyToOneRingBuffer requests;
    private final ExecutorStore executorStore;
    private final OffHeapStore store;
    private final WriteAheadLog log;
    private final FsyncPolicy fsyncPolicy;
    private final int snapshotEvery;
    private final EpochClock epochClock;
    private final NanoClock nanoClock;
    private final NodeLog nodeLog;
    private final MapRequestDecoder decoder;
    private final ResponseStaging staging;
    private final MapCommands commands;
    private final WalWriter walWriter;
    private final ResponseDelivery delivery;
    private final IncrementalSnapshot snapshot;
    private final int maxResponseLength;
    private final HeldRequests held;
    private final String roleName;
    private final AtomicInteger owner = new AtomicInteger(FREE);
    private final boolean inlineWrites;
    private final ReplicatedPartitions replicated;
    private volatile Runnable waker;
    private volatile boolean walFailed;
    private boolean inBatch;
    private boolean closedResources;
    private IOException reportedSpareError;
    private long nowMs;
    private volatile long queueDelayNs;
    private long cycleStartNs;
    private long cycleMaxDelayNs;

    /**
     * Creates an executor over a recovered store.
     *
     * @param index the executor index.
     * @param requests the executor's request ring.
     * @param store the executor's store, already recovered.
     * @param log the executor's WAL, or null when persistence is off.
     * @param context the node's configuration: fsync policy, snapshot interval, protocol limits, clocks (read once
     *     per duty cycle) and log.
     * @param delivery hands staged responses to connections.
     */
    public PartitionAgent(
        final int index,
        final ManyToOneRingBuffer requests,
        final ExecutorStore store,
        final WriteAheadLog log,
        final ServerContext context,
        final ResponseDelivery delivery) {
        this(index, requests, store, log, context, delivery, null);
    }

    /**
     * Creates an executor over a recovered store; in a cluster ({@code peers} not null) the executor hosts its Raft
     * groups ({@link ReplicatedPartitions}, opened by {@link #openGroups()}) and has no WAL of its own.
     *
     * @param index the executor index.
     * @param requests the executor's request ring.
     * @param store the executor's store, already recovered.
     * @param log the executor's WAL, or null when persistence is off or in a cluster.
     * @param context the node's configuration.
     * @param delivery hands staged responses to connections.
     * @param peers the cluster's peer links, or null for a single node.
     */
    public PartitionAgent(
        final int index,
        final ManyToOneRingBuffer requests,
        final ExecutorStore store,
        final WriteAheadLog log,
        final ServerContext context,
        final ResponseDelivery delivery,
        final Transport peers) {
        final ProtocolLimits limits = context.protocolLimits();
        this.index = index;
        this.requests = requests;
        this.executorStore = store;
        this.store = store.store();
        this.log = log;
        this.fsyncPolicy = context.walFsync();
        this.snapshotEvery = context.snapshotEvery();
        this.epochClock = context.epochClock();
        this.nanoClock = context.nanoClock();
        this.nodeLog = context.log();
        this.decoder = new MapRequestDecoder(limits);
        this.maxResponseLength = limits.maxFrameLength() + FrameHeaderDescriptor.HEADER_LENGTH;
        this.staging = new ResponseStaging(2 * maxResponseLength + 64 * 1024);
        this.held = new HeldRequests(NodeMemory.heldRequestsBytes(limits.maxFrameLength()));
        this.walWriter = new WalWriter(log);
        this.commands = new MapCommands(this.store, walWriter, store.dropped(), staging, store.clock(),
            new ResponseEncoder(limits), limits.maxValueLength());
        this.delivery = delivery;
        store.dropped().recording(log != null);
        this.roleName = "loomcache-executor-" + index;
        this.inlineWrites = peers == null && (log == null || fsyncPolicy != FsyncPolicy.BATCH);
        this.replicated = peers == null ? null : new ReplicatedPartitions(context, index, peers,
            store, commands, staging, delivery, maxResponseLength, this::wake);
        if (replicated != null) {
            commands.scanFilter(replicated::leads);
        }
        this.snapshot = log == null ? null : new IncrementalSnapshot(this.store, log, nanoClock, nodeLog, roleName);
    }

    /**
     * The executor's own duty cycle, on its home thread (a thread of its own, or its transport event loop): when no
     * other thread holds the executor ({@link #tryEnter()}), runs held requests and the request ring as one batch,
     * ends the batch ({@link #endBatch()}), then the periodic work: WAL upkeep, a snapshot when due, a bounded expiry
     * sweep. Returns 0 when another thread holds the executor (it wakes the home thread on exit when the ring has
     * requests).
     *
     * @return the work done.
     */
    @Override
    public int doWork() {
        if (!tryEnter()) {
            return 0;
        }
        try {
            beginBatch();
            cycleMaxDelayNs = 0;
            int work = held.isEmpty() ? 0 : held.retry(this);
            int read = requests.controlledRead(this, BATCH_LIMIT);
            work += read;
            if (!inlineWrites) {
                // group commit: one force for all that is queued, up to GROUP_COMMIT_LIMIT
                while (read == BATCH_LIMIT && work < GROUP_COMMIT_LIMIT && hasRoomInline()) {
                    read = requests.controlledRead(this, BATCH_LIMIT);
                    work += read;
                }
            }
            // Idle executors spin through here: publish only on change, a volatile store is a full fence on x86.
            if (cycleMaxDelayNs != queueDelayNs) {
                queueDelayNs = cycleMaxDelayNs;
            }
            if (replicated != null) {
                work += replicated.doWork(nanoClock.nanoTime());
            }
            endBatch();
            if (log != null) {
                work += log.doWork(nowMs);
                work += log.prepareNextSegment();
                checkLog();
                work += maybeSnapshot();
            }
            work += store.expireSweep(nowMs, SWEEP_SLOTS);
            commands.logDropped();
            return work;
        } finally {
            exitQuietly();
        }
    }

    /**
     * Takes the executor for the calling thread if no other thread holds it: whoever holds it is the only thread
     * touching the store, the WAL and the staging area (the acquire pairs with {@link #exit()}'s release, so state
     * written by the previous holder is visible). Never blocks. Any thread.
     *
     * @return true when taken; the caller must {@link #exit()}.
     */
    public boolean tryEnter() {
        return owner.get() == FREE && owner.compareAndSet(FREE, TAKEN);
    }

    /**
     * Gives the executor back, its batch ended ({@link #endBatch()}); wakes the home thread when requests wait in
     * the ring (a thread that could not enter queued them there meanwhile). The holder.
     */
    public void exit() {
        exitQuietly();
        if (hasQueuedRequests()) {
            wake();
        }
    }

    private void exitQuietly() {
        owner.set(FREE);
    }

    /**
     * Whether requests wait in the ring; any thread.
     *
     * @return true when the ring is not empty.
     */
    public boolean hasQueuedRequests() {
        return requests.size() > 0;
    }

    /**
     * Whether this executor was closed: no thread may enter any more. Any thread.
     *
     * @return true once closed.
     */
    public boolean isClosed() {
        return owner.get() == CLOSED;
    }

    /**
     * Wakes the home thread so that it drains the request ring soon; any thread; allocation-free, coalesced by
     * the host.
     */
    public void wake() {
        final Runnable waker = this.waker;
        if (waker != null) {
            waker.run();
        }
    }

    /**
     * Sets how {@link #wake()} reaches the home thread: unpark a dedicated thread, or schedule the duty cycle on an
     * event loop. Set once before the executor serves.
     *
     * @param waker the action; must be cheap, thread-safe and allocation-free.
     */
    public void waker(final Runnable waker) {
        this.waker = waker;
    }

    /**
     * Starts a batch on the holder's thread: reads the clocks once and sets the store's cached clocks, so every
     * request of the batch sees the same time. The holder; idempotent within a batch.
     */
    public void beginBatch() {
        if (!inBatch) {
            inBatch = true;
            nowMs = epochClock.time();
            cycleStartNs = nanoClock.nanoTime();
            executorStore.tick(nowMs, cycleStartNs);
        }
    }

    /**
     * Whether a request of this opcode may run inline on a transport thread, outside the home duty cycle: anything
     * but a write that must be forced before its answer (WAL fsync batch), whose group commit the home cycle does.
     *
     * @param write whether the request writes.
     * @return true when it may run inline.
     */
    public boolean mayRunInline(final boolean write) {
        return !write || inlineWrites;
    }

    /**
     * Applies one request frame straight from the transport's buffer (no copy into the ring) and stages its answer.
     * The holder, between {@link #beginBatch()} and {@link #endBatch()}, when {@link #hasRoomInline()}.
     *
     * @param connectionId the request's connection.
     * @param receivedNs when it was read.
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     */
    public void runInline(
        final long connectionId,
        final long receivedNs,
        final DirectBuffer buffer,
        final int offset,
        final int length) {
        apply(connectionId, receivedNs, NO_FAN_OUT_SLOT, buffer, offset, length);
    }

    /**
     * Whether this executor's store lives on transparent huge pages ({@link OffHeapStore#hugePagesAdvised()}); a
     * plain read, for the start-up line (it only turns false if a later madvise fails).
     *
     * @return true when the index and slabs were advised to use huge pages.
     */
    public boolean hugePagesAdvised() {
        return store.hugePagesAdvised();
    }

    /**
     * Whether the staging area has room for one more answer of the current batch (inline or from the ring); the
     * holder.
     *
     * @return false when the batch must end first.
     */
    public boolean hasRoomInline() {
        return staging.remainingFrameCapacity() >= maxResponseLength;
    }

    /**
     * Ends a batch: under {@link FsyncPolicy#BATCH} one force covers every record appended so far, then every
     * staged answer goes to its connection (a failed force turns the write answers into INTERNAL_ERROR). The holder.
     */
    public void endBatch() {
        inBatch = false;
        if (staging.count() > 0) {
            boolean durable = true;
            // also covers tombstones the expiry sweep appended after the previous cycle's force
            if (log != null && fsyncPolicy == FsyncPolicy.BATCH && log.lastAppendedIndex() > log.durableIndex()) {
                durable = log.force() >= 0;
                checkLog();
            }
            delivery.release(staging, durable);
            staging.clear();
        }
    }

    @Override
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int offset, final int length) {
        if (replicated != null && ReplicatedPartitions.isRaft(buffer.getShort(offset + FRAME_OFFSET +
            FrameHeaderDescriptor.OPCODE_OFFSET, FrameHeaderDescriptor.BYTE_ORDER) & 0xFFFF)) {
            // a peer's Raft frame is never held back or refused: it has no answer and its connection no backlog
            run(buffer, offset, length);
            return Action.CONTINUE;
        }
        if (!hasRoomInline()) {
            return Action.ABORT;
        }
        final long connectionId = buffer.getLong(offset + CONNECTION_ID_OFFSET);
        if (held.isHolding(connectionId) || !mayRun(connectionId)) {
            if (!held.hold(buffer, offset, length)) {
                refuseBusy(buffer, offset, length);
            }
            return Action.CONTINUE;
        }
        cycleMaxDelayNs = Math.max(cycleMaxDelayNs, cycleStartNs - buffer.getLong(offset + RECEIVED_NS_OFFSET));
        run(buffer, offset, length);
        return Action.CONTINUE;
    }

    /**
     * Whether a request of this connection may run now: there is room to stage its response, and its connection
     * (if still open) is not backlogged ({@link Connection#isBacklogged()}). Executor thread.
     *
     * @param connectionId the request's connection.
     * @return true to run it now, false to hold it back.
     */
    @Override
    public boolean mayRun(final long connectionId) {
        if (!hasRoomInline()) {
            return false;
        }
        final Connection connection = delivery.connection(connectionId);
        return connection == null || !connection.isBacklogged();
    }

    /**
     * Applies one request record and stages its response. Executor thread.
     *
     * @param buffer holding the record.
     * @param offset of the record.
     * @param length of the record.
     */
    @Override
    public void run(final MutableDirectBuffer buffer, final int offset, final int length) {
        apply(buffer.getLong(offset + CONNECTION_ID_OFFSET), buffer.getLong(offset + RECEIVED_NS_OFFSET),
            buffer.getInt(offset + FAN_OUT_SLOT_OFFSET), buffer, offset + FRAME_OFFSET, length - FRAME_OFFSET);
    }

    private void apply(
        final long connectionId,
        final long receivedNs,
        final int fanOutSlot,
        final DirectBuffer buffer,
        final int frameOffset,
        final int frameLength) {
        if (replicated != null && fanOutSlot == NO_FAN_OUT_SLOT && !isLocalRead(buffer.getShort(frameOffset +
            FrameHeaderDescriptor.OPCODE_OFFSET, FrameHeaderDescriptor.BYTE_ORDER) & 0xFFFF)) {
            // a scan reads what this member holds (the groups it leads) without a round through Raft, as MAP_SIZE
            replicated.onFrame(connectionId, receivedNs, buffer, frameOffset, frameLength);
            return;
        }
        decoder.wrap(buffer, frameOffset, frameLength);
        final int opcode = decoder.opcode();
        final int noReply = StagedResponseDescriptor.noReply(decoder.flags());
        try {
            if (fanOutSlot != NO_FAN_OUT_SLOT) {
                long partial = 0;
                int errorCode = ErrorCode.NONE;
                if (opcode == Opcodes.MAP_SIZE) {
                    partial = commands.size();
                } else {
                    errorCode = commands.clear();
                }
                staging.buffer().putInt(staging.frameOffset(), errorCode);
                staging.commit(connectionId, receivedNs, opcode, writeFlag() | noReply, fanOutSlot, partial,
                    Integer.BYTES);
            } else {
                final int responseLength = commands.execute(decoder);
                staging.commit(connectionId, receivedNs, opcode, writeFlag() | noReply, NO_FAN_OUT_SLOT, 0,
                    noReply != 0 ? 0 : responseLength);
            }
        } catch (final RuntimeException ex) {
            // a record claimed for this request must not block the next one, nor reach the log
            walWriter.abort();
            commands.logDropped();
            nodeLog.error(Component.EXECUTOR, roleName + " request", ex);
            staging.commit(connectionId, receivedNs, opcode, noReply, fanOutSlot, 0,
                errorFrame(fanOutSlot, decoder.correlationId(), noReply));
        }
    }

    /** MAP_SCAN and MAP_RANDOM_KEY read this member's store directly, never through a group's log. */
    private static boolean isLocalRead(final int opcode) {
        return opcode == Opcodes.MAP_SCAN || opcode == Opcodes.MAP_RANDOM_KEY;
    }

    /**
     * Answers a request SERVER_BUSY without running it: its connection is backlogged and no more of its requests
     * can be held. The client may retry; other connections are not held up.
     */
    private void refuseBusy(final MutableDirectBuffer buffer, final int offset, final int length) {
        final long connectionId = buffer.getLong(offset + CONNECTION_ID_OFFSET);
        final long receivedNs = buffer.getLong(offset + RECEIVED_NS_OFFSET);
        final int fanOutSlot = buffer.getInt(offset + FAN_OUT_SLOT_OFFSET);
        decoder.wrap(buffer, offset + FRAME_OFFSET, length - FRAME_OFFSET);
        final int noReply = StagedResponseDescriptor.noReply(decoder.flags());
        final int frameLength;
        if (fanOutSlot != NO_FAN_OUT_SLOT) {
            staging.buffer().putInt(staging.frameOffset(), ErrorCode.SERVER_BUSY);
            frameLength = Integer.BYTES;
        } else {
            frameLength = noReply != 0 ? 0 :
                delivery.encodeBusy(staging.buffer(), staging.frameOffset(), decoder.correlationId());
        }
        staging.commit(connectionId, receivedNs, decoder.opcode(), noReply, fanOutSlot, 0, frameLength);
    }

    private int errorFrame(final int fanOutSlot, final long correlationId, final int noReply) {
        if (fanOutSlot != NO_FAN_OUT_SLOT) {
            staging.buffer().putInt(staging.frameOffset(), ErrorCode.INTERNAL_ERROR);
            return Integer.BYTES;
        }
        return noReply != 0 ? 0 : delivery.encodeError(staging.buffer(), staging.frameOffset(), correlationId,
            ErrorCode.INTERNAL_ERROR);
    }

    private int writeFlag() {
        return commands.wrote() ? StagedResponseDescriptor.FLAG_WRITE : 0;
    }

    private void checkLog() {
        final IOException spareError = log.lastSpareError();
        if (spareError != reportedSpareError) {
            reportedSpareError = spareError;
            nodeLog.error(Component.EXECUTOR, roleName + " could not prepare the next WAL segment ahead of time; " +
                "the roll wrote it on this thread", spareError);
        }
        if (!walFailed && walWriter.failed()) {
            walFailed = true;
            nodeLog.error(Component.EXECUTOR, roleName + " WAL failed, writes are refused (INTERNAL_ERROR) until " +
                "restart", walWriter.lastError() != null ? walWriter.lastError() : new IOException("the WAL failed"));
        }
    }

    /**
     * A bounded step of the snapshot in progress (see {@link IncrementalSnapshot}), starting one when due; one due
     * while another is in progress is skipped, and the count starts again either way.
     */
    private int maybeSnapshot() {
        if (snapshotEvery > 0 && !walFailed && walWriter.appendedSinceSnapshot() >= snapshotEvery) {
            walWriter.snapshotTaken();
            snapshot.start();
        }
        return snapshot.doWork();
    }

    /**
     * Closes the WAL and frees the store on the calling thread (the home thread, or the caller of
     * {@link ExecutorGroup#close()}), after waiting out a transport thread that holds the executor; no thread may
     * enter afterwards.
     */
    @Override
    public void onClose() {
        while (owner.get() != CLOSED && !owner.compareAndSet(FREE, CLOSED)) {
            Thread.yield();
        }
        if (closedResources) {
            return;
        }
        closedResources = true;
        try {
            if (log != null) {
                snapshot.abandon();
                log.force();
                log.close();
            }
            if (replicated != null) {
                replicated.close();
            }
        } finally {
            store.close();
        }
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /**
     * Opens the Raft groups this executor hosts in a cluster and recovers them into its store; nothing for a single
     * node. Once, before the executor serves.
     *
     * @throws IOException when a group's log cannot be opened or recovered.
     */
    public void openGroups() throws IOException {
        if (replicated != null) {
            replicated.open();
        }
    }

    /**
     * The Raft groups of this executor.
     *
     * @return them, or null for a single node.
     */
    public ReplicatedPartitions replicated() {
        return replicated;
    }

    /**
     * Requests held back since start because their connection had too many unsent response bytes; any thread.
     *
     * @return the count.
     */
    public long heldRequests() {
        return held.heldTotal();
    }

    /**
     * The executor's snapshot task, whose getters any thread may read.
     *
     * @return the task, or null when persistence is off.
     */
    public IncrementalSnapshot snapshot() {
        return snapshot;
    }

    /**
     * The executor index.
     *
     * @return 0 to executors - 1.
     */
    public int index() {
        return index;
    }

    /**
     * The executor's request ring, written by connection readers.
     *
     * @return the ring.
     */
    public ManyToOneRingBuffer requests() {
        return requests;
    }

    /**
     * The store's counters, readable from any thread.
     *
     * @return the counters.
     */
    public StoreCounters counters() {
        return store.counters();
    }

    /**
     * Whether the WAL failed; any thread.
     *
     * @return true once failed.
     */
    public boolean walFailed() {
        return walFailed;
    }

    /**
     * The highest durable WAL index; any thread.
     *
     * @return the index, 0 when persistence is off.
     */
    public long durableIndex() {
        return log == null ? 0 : log.durableIndex();
    }

    /**
     * How long the oldest request of the last duty cycle waited in the request ring before this executor started
     * on it: the queueing delay the backpressure controller watches. Any thread; one volatile read.
     *
     * @return nanoseconds, 0 when the last cycle read no request.
     */
    public long queueDelayNs() {
        return queueDelayNs;
    }
}
