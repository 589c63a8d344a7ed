package io.loomcache.server.executor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.CommandTable;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.OpcodeCategory;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.raft.RaftContext;
import io.loomcache.raft.RaftLog;
import io.loomcache.raft.RaftGroups;
import io.loomcache.raft.RaftListener;
import io.loomcache.raft.RaftNode;
import io.loomcache.raft.StateMachine;
import io.loomcache.raft.Transport;
import io.loomcache.protocol.raft.RaftMessageDescriptor;
import io.loomcache.raft.storage.SharedRaftLog;
import io.loomcache.raft.storage.WalRaftLog;
import io.loomcache.server.cluster.ClusterMembers;
import io.loomcache.server.cluster.PeerBatcher;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.store.EntryVisitor;
import io.loomcache.store.OffHeapStore;
import io.loomcache.wal.WalContext;

/**
 * The Raft groups one executor hosts in a cluster, and what turns client requests into Raft operations and
 * committed entries back into answers. Partition p belongs to group {@code p % groups}; group g lives on executor
 * {@code g % executors} of every member, so one executor owns a group's log, its state (the executor's store) and
 * its pending requests, and a group costs no thread.
 *
 * <p>A keyed write is proposed as its request frame; when the entry commits every member applies it to its store
 * with the same {@link MapCommands}, and the member that proposed it answers with what the apply returned (the
 * entry at that index must carry the term it was proposed in, else it was lost with its leader). A read waits for
 * ReadIndex (a heartbeat round, or the lease when {@code cluster.read-mode=lease}) and runs once the state machine
 * has applied up to the read index. A request for a group this member does not lead gets RESPONSE_REDIRECT naming
 * the leader's client address (leader -1 and no address while there is none). When leadership is lost, the writes
 * still pending get OUTCOME_UNKNOWN and the reads a redirect.
 *
 * <p>Snapshots of a group are its partitions' entries (expiry, key, value), taken on the executor thread. Owned by
 * whichever thread holds the executor ({@link PartitionAgent#tryEnter()}).
 */
public final class ReplicatedPartitions {
    /** The file under {@code <data>/raft} saying how keys are placed ({@link ExecutorGroup#PARTITIONER}). */
    private static final String PARTITIONER_FILE = "partitioner";
    private static final long PUBLISH_EVERY_NS = 50_000_000L;
    private static final long BALANCE_EVERY_NS = 500_000_000L;
    private static final long LEAD_BEFORE_HANDING_OVER_NS = 2_000_000_000L;
    private static final long HAND_OVER_RETRY_NS = 1_000_000_000L;
    private static final int PENDING_WRITES = 16 * 1024;
    /** A log entry is the leader's epoch time (int64, ms) followed by the client's request frame. */
    static final int STAMP_LENGTH = Long.BYTES;
    /** Largest Raft frame a link carries: well under its ring's largest message (an eighth of the ring). */
    private static final int MAX_RAFT_FRAME = 512 * 1024;

    private final ClusterMembers members;
    private final int groupCount;
    private final int partitionCount;
    private final int executorIndex;
    private final RaftGroups raftGroups = new RaftGroups();
    private final Group[] byGroup;
    private final List<Group> hosted = new ArrayList<>();
    private final PeerBatcher peers;
    private final OffHeapStore store;
    private final ExecutorStore executorStore;
    private final MapCommands commands;
    private final ResponseStaging staging;
    private final ResponseDelivery delivery;
    private final int maxResponseLength;
    private final MapRequestDecoder decoder;
    private final ResponseEncoder encoder;
    private final boolean leaseReads;
    private final Runnable waker;
    private final ServerContext context;
    private final String roleName;
    private final UnsafeBuffer proposal;
    private final int selfId;
    private volatile boolean handingOver;
    private long readSeq;
    private long lastPublishNs;
    private long lastBalanceNs;
    /** The log of every group hosted here: one force per duty cycle covers them all. */
    private SharedRaftLog sharedLog;

    ReplicatedPartitions(
        final ServerContext context,
        final int executorIndex,
        final Transport peers,
        final ExecutorStore executorStore,
        final MapCommands commands,
        final ResponseStaging staging,
        final ResponseDelivery delivery,
        final int maxResponseLength,
        final Runnable waker) {
        this.context = context;
        this.members = context.members();
        this.groupCount = context.raftGroups();
        this.partitionCount = context.partitions();
        this.executorIndex = executorIndex;
        this.byGroup = new Group[groupCount];
        final int[] others = new int[members.members().size() - 1];
        int next = 0;
        for (final int id : members.ids()) {
            if (id != members.self().id()) {
                others[next++] = id;
            }
        }
        this.peers = new PeerBatcher(peers, others);
        this.executorStore = executorStore;
        this.store = executorStore.store();
        this.commands = commands;
        this.staging = staging;
        this.delivery = delivery;
        this.maxResponseLength = maxResponseLength;
        this.decoder = new MapRequestDecoder(context.protocolLimits());
        this.encoder = new ResponseEncoder(context.protocolLimits());
        this.leaseReads = context.cluster().leaseReads();
        this.waker = waker;
        this.roleName = "loomcache-executor-" + executorIndex;
        this.proposal = new UnsafeBuffer(ByteBuffer.allocateDirect(STAMP_LENGTH + context.maxFrameLength()));
        this.selfId = members.self().id();
        for (int g = executorIndex; g < groupCount; g += context.executors()) {
            byGroup[g] = new Group(g);
        }
    }

    /**
     * Opens every hosted group's log and recovers its member (snapshot restored into the store; entries are
     * re-applied as the commit index is learnt again). Called once, on the thread that builds the executor.
     *
     * @throws IOException when a log cannot be opened or recovered.
     */
    void open() throws IOException {
        final int segment = Math.max(Math.min(context.walSegmentLength(), 16 * 1024 * 1024),
            4 * context.maxFrameLength());
        final Path raftDirectory = context.dataDir().resolve("raft");
        refuseOldLayout(raftDirectory);
        final int[] groupIds = new int[(groupCount - executorIndex + context.executors() - 1) / context.executors()];
        for (int i = 0; i < groupIds.length; i++) {
            groupIds[i] = executorIndex + i * context.executors();
        }
        if (groupIds.length == 0) {
            return;
        }
        sharedLog = SharedRaftLog.open(raftDirectory.resolve("executor-" + executorIndex), groupIds, new WalContext()
            .segmentLength(segment)
            .fsyncPolicy(context.walFsync())
            .fsyncIntervalMs(context.walFsyncIntervalMs())
            .epochClock(context.epochClock()), WalRaftLog.DEFAULT_RECENT_ENTRIES);
        for (final Group group : byGroup) {
            if (group == null) {
                continue;
            }
            group.log = sharedLog.group(group.id);
            final RaftContext raft = new RaftContext()
                .groupId(group.id)
                .memberId(members.self().id())
                .initialVoters(members.ids())
                .electionTimeoutMs(context.cluster().electionTimeoutMs(), 2 * context.cluster().electionTimeoutMs())
                .heartbeatIntervalMs(context.cluster().heartbeatMs())
                .snapshotEveryEntries(context.cluster().snapshotEvery())
                .maxAppendBytes(raftPayloadLimit(RaftMessageDescriptor.APPEND_ENTRIES_HEADER_LENGTH))
                .snapshotChunkBytes(raftPayloadLimit(RaftMessageDescriptor.INSTALL_SNAPSHOT_HEADER_LENGTH))
                .leaseReads(leaseReads)
                .randomSeed(System.nanoTime() ^ ((long)members.self().id() << 20) ^ group.id);
            hosted.add(group);
            group.node = new RaftNode(raft, context.nanoClock()::nanoTime, peers, group.log, group, group);
            raftGroups.add(group.node);
            context.log().info(Component.CLUSTER, roleName + " group " + group.id + " recovered: term " +
                group.node.term() + ", log " + group.log.firstIndex() + ".." + group.log.lastIndex() + ", snapshot " +
                group.log.snapshotIndex() + ", " + store.size() + " entries in the executor's store");
        }
    }

    /**
     * The most payload a Raft frame may carry: it must pass the peer's frame limit (the same setting on every
     * member) and fit the peer link's ring.
     */
    private int raftPayloadLimit(final int headerLength) {
        return Math.min(256 * 1024, Math.min(MAX_RAFT_FRAME, context.maxFrameLength()) - headerLength -
            FrameHeaderDescriptor.HEADER_LENGTH);
    }

    /**
     * Whether a frame is a Raft message (from a peer) rather than a client request.
     *
     * @param opcode the frame's opcode.
     * @return true for the Raft category.
     */
    public static boolean isRaft(final int opcode) {
        return Opcodes.category(opcode) == OpcodeCategory.RAFT;
    }

    /**
     * Takes one frame of the executor: a peer's Raft message goes to its group; a client's keyed map request is
     * proposed, queued as a read, or redirected. Stages exactly one response per client request, now or later.
     *
     * @param connectionId the request's connection.
     * @param receivedNs when it was read.
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     */
    void onFrame(
        final long connectionId,
        final long receivedNs,
        final DirectBuffer buffer,
        final int offset,
        final int length) {
        final int opcode = buffer.getShort(offset + FrameHeaderDescriptor.OPCODE_OFFSET,
            FrameHeaderDescriptor.BYTE_ORDER) & 0xFFFF;
        if (isRaft(opcode)) {
            if (handingOver && opcode == Opcodes.TIMEOUT_NOW) {
                // a member shutting down hands its groups over and must not be handed one back
                return;
            }
            raftGroups.onMessage(buffer, offset, length);
            return;
        }
        decoder.wrap(buffer, offset, length);
        final long correlationId = decoder.correlationId();
        final int noReply = StagedResponseDescriptor.noReply(decoder.flags());
        if (!decoder.isValid()) {
            stageError(connectionId, receivedNs, opcode, noReply, correlationId, decoder.decodeError());
            return;
        }
        final int partition = PartitionRouter.partition(buffer, decoder.keyOffset(), decoder.keyLength(),
            partitionCount);
        final Group group = byGroup[partition % groupCount];
        if (group == null) {
            stageError(connectionId, receivedNs, opcode, noReply, correlationId, ErrorCode.WRONG_PARTITION);
            return;
        }
        final RaftNode node = group.node;
        if (node.role() != RaftNode.ROLE_LEADER) {
            stageRedirect(connectionId, receivedNs, opcode, noReply, correlationId, partition, node);
            return;
        }
        if (CommandTable.hasFlag(opcode, CommandTable.FLAG_WRITE)) {
            if (group.pending.isFull()) {
                stageBusy(connectionId, receivedNs, opcode, noReply, correlationId);
                return;
            }
            // the entry carries the leader's clock, so that every member applies it as of the same time
            proposal.putLong(0, executorStore.clock().time());
            proposal.putBytes(STAMP_LENGTH, buffer, offset, length);
            final long index = node.propose(proposal, 0, STAMP_LENGTH + length);
            if (index >= 0) {
                group.pending.add(index, node.term(), connectionId, receivedNs, correlationId, opcode, noReply);
            } else if (index == RaftNode.NOT_LEADER || index == RaftNode.FAILED) {
                // a member whose log just failed (disk full) leads no more and appended nothing: try another
                stageRedirect(connectionId, receivedNs, opcode, noReply, correlationId, partition, node);
            } else if (index == RaftNode.BACK_PRESSURED) {
                stageBusy(connectionId, receivedNs, opcode, noReply, correlationId);
            } else {
                stageError(connectionId, receivedNs, opcode, noReply, correlationId,
                    index == RaftNode.INVALID_ARGUMENT ? ErrorCode.VALUE_TOO_LONG : ErrorCode.INTERNAL_ERROR);
            }
            return;
        }
        final long seq = ++readSeq;
        final long result = node.read(seq, leaseReads);
        if (result == 0) {
            group.reads.add(seq, connectionId, receivedNs, buffer, offset, length);
            waker.run();
        } else if (result == RaftNode.NOT_LEADER) {
            stageRedirect(connectionId, receivedNs, opcode, noReply, correlationId, partition, node);
        } else {
            stageBusy(connectionId, receivedNs, opcode, noReply, correlationId);
        }
    }

    /**
     * One duty cycle of every hosted group (timers, replication, the leader's force, apply, reads), then every
     * {@link #BALANCE_EVERY_NS} hands leadership of a group to its preferred member when that member is caught up,
     * and publishes the groups' state for /cluster and /metrics.
     *
     * @param nowNs the monotonic clock.
     * @return work done.
     */
    int doWork(final long nowNs) {
        int work = raftGroups.doWork(nowNs);
        if (handingOver) {
            work += handOver(nowNs);
        } else if (nowNs - lastBalanceNs >= BALANCE_EVERY_NS) {
            lastBalanceNs = nowNs;
            work += balance(nowNs);
            releaseOldSegments();
        }
        if (nowNs - lastPublishNs >= PUBLISH_EVERY_NS) {
            lastPublishNs = nowNs;
            for (final Group group : hosted) {
                group.publish();
            }
        }
        // the cycle's small frames to each member (heartbeats, acknowledgements, votes) leave as one frame
        peers.flush();
        return work;
    }

    /**
     * Asks the group that keeps the shared log's oldest segments alive for a snapshot once the log has run a few
     * snapshot intervals of every hosted group past its oldest entry (an idle group's few entries would otherwise
     * pin every segment written since).
     */
    private void releaseOldSegments() {
        final long every = context.cluster().snapshotEvery();
        final int holder = sharedLog == null || every == 0 ? -1 :
            sharedLog.groupHoldingOldest(4 * every * hosted.size());
        if (holder >= 0) {
            byGroup[holder].node.requestSnapshot();
        }
    }

    private int balance(final long nowNs) {
        int work = 0;
        final int self = members.self().id();
        for (final Group group : hosted) {
            final RaftNode node = group.node;
            if (node.role() != RaftNode.ROLE_LEADER || nowNs - group.leaderSinceNs < LEAD_BEFORE_HANDING_OVER_NS) {
                continue;
            }
            final int preferred = members.preferredLeader(group.id);
            if (preferred != self && node.matchIndexOf(preferred) >= node.log().lastIndex() &&
                node.transferLeadership(preferred) == 0) {
                context.log().info(Component.CLUSTER, roleName + " group " + group.id + " hands leadership to " +
                    members.byId(preferred).name() + " (its preferred leader, caught up)");
                group.leaderSinceNs = nowNs;
                work++;
            }
        }
        return work;
    }

    /**
     * Asks the executor to hand every group it leads to the most caught-up other member (TimeoutNow), and to refuse
     * leadership from now on: the first step of a graceful shutdown, so that clients see a redirect instead of an
     * election. Any thread; the executor acts on it in its next cycles.
     */
    public void handOverLeadership() {
        handingOver = true;
    }

    private int handOver(final long nowNs) {
        int work = 0;
        for (final Group group : hosted) {
            final RaftNode node = group.node;
            if (node.role() != RaftNode.ROLE_LEADER || nowNs - group.handOverAtNs < HAND_OVER_RETRY_NS) {
                continue;
            }
            int target = -1;
            long best = -1;
            for (final ClusterMembers.Member member : members.members()) {
                final long match = member.id() == selfId ? -1 : node.matchIndexOf(member.id());
                if (match > best) {
                    best = match;
                    target = member.id();
                }
            }
            if (target != -1 && node.transferLeadership(target) == 0) {
                group.handOverAtNs = nowNs;
                context.log().info(Component.CLUSTER, roleName + " group " + group.id + " handed to " +
                    members.byId(target).name() + " (shutting down)");
                work++;
            }
        }
        return work;
    }

    /** Forces and closes the executor's shared log (every hosted group's); the executor's thread at close. */
    void close() {
        if (sharedLog == null) {
            return;
        }
        try {
            if (!sharedLog.force()) {
                context.log().info(Component.CLUSTER, roleName + " raft log: the force at close failed");
            }
        } catch (final RuntimeException ex) {
            context.log().error(Component.CLUSTER, roleName + " raft log force at close", ex);
        } finally {
            sharedLog.close();
        }
    }

    /**
     * Refuses data written with one WAL per group (before the executors' shared logs): its entries would be
     * silently ignored while the groups' terms and votes were read.
     */
    private static void refuseOldLayout(final Path raftDirectory) throws IOException {
        final Path marker = raftDirectory.resolve(PARTITIONER_FILE);
        if (Files.isDirectory(raftDirectory.resolve("executor-0")) && !Files.exists(marker)) {
            throw new IOException(raftDirectory + " holds Raft logs of an older LoomCache that placed keys by " +
                "another hash (before keys were placed by Redis Cluster slot): wipe the data directories of every " +
                "member and start the cluster again");
        }
        if (!Files.exists(marker)) {
            Files.createDirectories(raftDirectory);
            Files.writeString(marker, ExecutorGroup.PARTITIONER + "\n");
        }
        if (Files.isDirectory(raftDirectory.resolve("group-0").resolve(WalRaftLog.WAL_DIRECTORY))) {
            throw new IOException(raftDirectory + " holds Raft logs in the old layout (one WAL per group, "
                + "raft/group-N/wal); this version keeps one log per executor (raft/executor-N): wipe the member's "
                + "data directory and let it catch up from the others");
        }
    }

    /**
     * Whether this member leads the group of a key's partition (a scan returns only those keys). Executor thread.
     *
     * @param key the key's buffer.
     * @param offset of the key.
     * @param length of the key.
     * @return true when the key's group is hosted here and led by this member.
     */
    boolean leads(final DirectBuffer key, final int offset, final int length) {
        final Group group = byGroup[PartitionRouter.partition(key, offset, length, partitionCount) % groupCount];
        return group != null && group.node.role() == RaftNode.ROLE_LEADER;
    }

    /**
     * A group hosted here.
     *
     * @param id a group id.
     * @return the group, or null when another executor hosts it.
     */
    public Group group(final int id) {
        return byGroup[id];
    }

    /** @return the groups this executor hosts, for status pages; their getters are safe from any thread. */
    public List<Group> groups() {
        return hosted;
    }

    private boolean hasRoom() {
        return staging.remainingFrameCapacity() >= maxResponseLength;
    }

    /** Makes room in the staging area by handing what it holds to the connections (nothing waits for a force). */
    private void ensureRoom() {
        if (!hasRoom()) {
            delivery.release(staging, true);
            staging.clear();
        }
    }

    private void stageRedirect(final long connectionId, final long receivedNs, final int opcode, final int noReply,
        final long correlationId, final int partition, final RaftNode node) {
        ensureRoom();
        // a member stepping down rejects its reads before it knows the new leader: never redirect to itself
        final ClusterMembers.Member leader = node.leaderId() < 0 || node.leaderId() == selfId ? null :
            members.byId(node.leaderId());
        final UnsafeBuffer address = leader == null ? null : leader.addressBytes();
        final int length = encoder.wrap(staging.buffer(), staging.frameOffset()).redirect(correlationId,
            node.term(), partition, leader == null ? -1 : leader.id(), address == null ? staging.buffer() : address,
            0, address == null ? 0 : address.capacity());
        commit(connectionId, receivedNs, opcode, noReply, length);
    }

    private void stageBusy(final long connectionId, final long receivedNs, final int opcode, final int noReply,
        final long correlationId) {
        ensureRoom();
        commit(connectionId, receivedNs, opcode, noReply,
            delivery.encodeBusy(staging.buffer(), staging.frameOffset(), correlationId));
    }

    private void stageError(final long connectionId, final long receivedNs, final int opcode, final int noReply,
        final long correlationId, final int errorCode) {
        ensureRoom();
        commit(connectionId, receivedNs, opcode, noReply,
            delivery.encodeError(staging.buffer(), staging.frameOffset(), correlationId, errorCode));
    }

    /** Commits the answer encoded at the staging area's frame offset (nothing is sent under NO_REPLY). */
    private void commit(final long connectionId, final long receivedNs, final int opcode, final int flags,
        final int length) {
        staging.commit(connectionId, receivedNs, opcode, flags, RequestRecordDescriptor.NO_FAN_OUT_SLOT, 0,
            (flags & StagedResponseDescriptor.FLAG_NO_REPLY) != 0 ? 0 : length);
    }

    /** One Raft group hosted here: its member, log, state machine view and pending requests. */
    public final class Group implements StateMachine, RaftListener, EntryVisitor {
        private final int id;
        private final PendingWrites pending = new PendingWrites(PENDING_WRITES);
        private final PendingReads reads = new PendingReads();
        private final MapRequestDecoder applyDecoder = new MapRequestDecoder(context.protocolLimits());
        private final List<byte[]> doomedKeys = new ArrayList<>();
        private RaftNode node;
        private RaftLog log;
        private long leaderSinceNs;
        private long handOverAtNs = Long.MIN_VALUE / 2;
        private MutableDirectBuffer snapshotOut;
        private int snapshotPosition;
        private boolean collecting;
        private volatile int role = RaftNode.ROLE_FOLLOWER;
        private volatile long term;
        private volatile int leaderId = -1;
        private volatile long commitIndex;
        private volatile long appliedIndex;
        private volatile long lastIndex;
        private volatile long[] lag = new long[0];

        Group(final int id) {
            this.id = id;
        }

        /** @return the group id. */
        public int id() {
            return id;
        }

        /** @return the member's role (a RaftNode ROLE_ constant) as last published; any thread. */
        public int role() {
            return role;
        }

        /** @return the term as last published; any thread. */
        public long term() {
            return term;
        }

        /** @return the leader's member id as last published, -1 when unknown; any thread. */
        public int leaderId() {
            return leaderId;
        }

        /** @return the commit index as last published; any thread. */
        public long commitIndex() {
            return commitIndex;
        }

        /** @return the applied index as last published; any thread. */
        public long appliedIndex() {
            return appliedIndex;
        }

        /** @return the last log index as last published; any thread. */
        public long lastIndex() {
            return lastIndex;
        }

        /**
         * @return on the leader, how many entries each member (list order) is behind the leader's last index, -1 for
         *     the leader itself; empty on a follower. As last published; any thread.
         */
        public long[] lag() {
            return lag;
        }

        void publish() {
            role = node.role();
            term = node.term();
            leaderId = node.leaderId();
            commitIndex = node.commitIndex();
            appliedIndex = node.lastApplied();
            final long last = log.lastIndex();
            lastIndex = last;
            if (node.role() == RaftNode.ROLE_LEADER) {
                final List<ClusterMembers.Member> all = members.members();
                final long[] next = new long[all.size()];
                for (int i = 0; i < next.length; i++) {
                    final int member = all.get(i).id();
                    next[i] = member == members.self().id() ? -1 : Math.max(0, last - node.matchIndexOf(member));
                }
                lag = next;
            } else if (lag.length != 0) {
                lag = new long[0];
            }
        }

        // ------------------------------------------------------------------------------------------ state machine

        @Override
        public void apply(final long index, final long entryTerm, final DirectBuffer buffer, final int offset,
            final int length) {
            while (!pending.isEmpty() && pending.headIndex() < index) {
                // cannot happen (pending writes are answered when leadership goes); never leave one behind
                answerPending(ErrorCode.OUTCOME_UNKNOWN);
            }
            final boolean ours = !pending.isEmpty() && pending.headIndex() == index;
            if (length < STAMP_LENGTH) {
                if (ours) {
                    answerPending(ErrorCode.INTERNAL_ERROR);
                }
                return;
            }
            applyDecoder.wrap(buffer, offset + STAMP_LENGTH, length - STAMP_LENGTH);
            if (!applyDecoder.isValid()) {
                // validated before it was proposed: a corrupt entry is skipped on every member alike
                if (ours) {
                    answerPending(ErrorCode.INTERNAL_ERROR);
                }
                return;
            }
            ensureRoom();
            final long cycleMs = executorStore.clock().time();
            int responseLength;
            executorStore.epochMs(buffer.getLong(offset));
            try {
                if (applyDecoder.opcode() == Opcodes.MAP_CLEAR_GROUP) {
                    removeEntries();
                    responseLength = encoder.wrap(staging.buffer(), staging.frameOffset())
                        .version(applyDecoder.version()).ok(applyDecoder.correlationId());
                } else {
                    responseLength = commands.execute(applyDecoder);
                }
                commands.logDropped();
            } catch (final RuntimeException ex) {
                context.log().error(Component.CLUSTER, roleName + " group " + id + " apply of entry " + index, ex);
                responseLength = -1;
            } finally {
                executorStore.epochMs(cycleMs);
            }
            if (!ours) {
                return;
            }
            if (pending.headTerm() != entryTerm) {
                // another leader's entry took this index: ours was never committed and never will be
                answerPending(ErrorCode.NOT_LEADER);
                return;
            }
            if (responseLength < 0) {
                answerPending(ErrorCode.INTERNAL_ERROR);
                return;
            }
            commit(pending.headConnection(), pending.headReceivedNs(), pending.headOpcode(),
                StagedResponseDescriptor.FLAG_WRITE | pending.headNoReply(), responseLength);
            pending.pop();
        }

        private void answerPending(final int errorCode) {
            stageError(pending.headConnection(), pending.headReceivedNs(), pending.headOpcode(), pending.headNoReply(),
                pending.headCorrelationId(), errorCode);
            pending.pop();
        }

        @Override
        public int takeSnapshot(final ExpandableDirectByteBuffer out, final int offset) {
            snapshotOut = out;
            snapshotPosition = offset;
            collecting = false;
            try {
                store.forEachEntry(this);
            } finally {
                snapshotOut = null;
            }
            return snapshotPosition - offset;
        }

        @Override
        public void onEntry(final DirectBuffer entry, final int keyOffset, final int keyLength, final int valueOffset,
            final int valueLength, final long expireAtMs) {
            if (PartitionRouter.partition(entry, keyOffset, keyLength, partitionCount) % groupCount != id) {
                return;
            }
            if (collecting) {
                final byte[] key = new byte[keyLength];
                entry.getBytes(keyOffset, key);
                doomedKeys.add(key);
                return;
            }
            final MutableDirectBuffer out = snapshotOut;
            int position = snapshotPosition;
            out.putLong(position, expireAtMs);
            out.putInt(position + Long.BYTES, keyLength);
            out.putInt(position + Long.BYTES + Integer.BYTES, valueLength);
            position += Long.BYTES + 2 * Integer.BYTES;
            out.putBytes(position, entry, keyOffset, keyLength);
            position += keyLength;
            out.putBytes(position, entry, valueOffset, valueLength);
            snapshotPosition = position + valueLength;
        }

        /**
         * Removes every entry of this group's partitions from the executor's store (a walk of the whole store, then
         * one remove per key): before a snapshot is restored, and as the apply of MAP_CLEAR_GROUP on every member.
         */
        private void removeEntries() {
            doomedKeys.clear();
            collecting = true;
            try {
                store.forEachEntry(this);
            } finally {
                collecting = false;
            }
            final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
            for (final byte[] key : doomedKeys) {
                view.wrap(key);
                store.remove(view, 0, key.length);
            }
            doomedKeys.clear();
        }

        @Override
        public void restore(final DirectBuffer buffer, final int offset, final int length) {
            // drop this group's entries, then load the snapshot's
            removeEntries();
            final long nowMs = executorStore.clock().time();
            int position = offset;
            final int end = offset + length;
            while (position < end) {
                final long expireAtMs = buffer.getLong(position);
                final int keyLength = buffer.getInt(position + Long.BYTES);
                final int valueLength = buffer.getInt(position + Long.BYTES + Integer.BYTES);
                final int keyOffset = position + Long.BYTES + 2 * Integer.BYTES;
                final int valueOffset = keyOffset + keyLength;
                position = valueOffset + valueLength;
                if (expireAtMs != 0 && expireAtMs <= nowMs) {
                    continue;
                }
                store.put(buffer, keyOffset, keyLength, buffer, valueOffset, valueLength,
                    expireAtMs == 0 ? 0 : expireAtMs - nowMs);
            }
        }

        // ------------------------------------------------------------------------------------------ listener

        @Override
        public void onReadReady(final long correlationId, final long readIndex) {
            while (!reads.isEmpty() && reads.headSeq() <= correlationId) {
                ensureRoom();
                applyDecoder.wrap(reads.buffer(), reads.headFrameOffset(), reads.headFrameLength());
                final int noReply = StagedResponseDescriptor.noReply(applyDecoder.flags());
                int responseLength;
                try {
                    responseLength = commands.execute(applyDecoder);
                } catch (final RuntimeException ex) {
                    context.log().error(Component.CLUSTER, roleName + " group " + id + " read", ex);
                    responseLength = delivery.encodeError(staging.buffer(), staging.frameOffset(),
                        applyDecoder.correlationId(), ErrorCode.INTERNAL_ERROR);
                }
                commit(reads.headConnection(), reads.headReceivedNs(), applyDecoder.opcode(), noReply, responseLength);
                reads.pop();
            }
        }

        @Override
        public void onReadRejected(final long correlationId) {
            while (!reads.isEmpty() && reads.headSeq() <= correlationId) {
                applyDecoder.wrap(reads.buffer(), reads.headFrameOffset(), reads.headFrameLength());
                final int noReply = StagedResponseDescriptor.noReply(applyDecoder.flags());
                stageRedirect(reads.headConnection(), reads.headReceivedNs(), applyDecoder.opcode(), noReply,
                    applyDecoder.correlationId(), PartitionRouter.partition(applyDecoder.buffer(),
                        applyDecoder.keyOffset(), applyDecoder.keyLength(), partitionCount), node);
                reads.pop();
            }
        }

        @Override
        public void onRoleChange(final int newRole, final long newTerm, final int newLeaderId) {
            if (newRole == RaftNode.ROLE_FAILED && sharedLog != null) {
                // the groups share the storage that failed, and a failed group would keep its segments forever
                sharedLog.fail();
            }
            if (newRole == RaftNode.ROLE_LEADER) {
                leaderSinceNs = context.nanoClock().nanoTime();
            } else {
                while (!pending.isEmpty()) {
                    answerPending(ErrorCode.OUTCOME_UNKNOWN);
                }
            }
            if (node != null) {
                context.log().info(Component.CLUSTER, roleName + " group " + id + " " + roleName(newRole) +
                    " in term " + newTerm + (newLeaderId < 0 || members.byId(newLeaderId) == null ? "" :
                    ", leader " + members.byId(newLeaderId).name()));
            }
        }
    }

    /**
     * Names a RaftNode role constant.
     *
     * @param role the constant.
     * @return LEADER, FOLLOWER, PRE_CANDIDATE, CANDIDATE or FAILED.
     */
    public static String roleName(final int role) {
        return switch (role) {
            case RaftNode.ROLE_LEADER -> "LEADER";
            case RaftNode.ROLE_PRE_CANDIDATE -> "PRE_CANDIDATE";
            case RaftNode.ROLE_CANDIDATE -> "CANDIDATE";
            case RaftNode.ROLE_FAILED -> "FAILED";
            default -> "FOLLOWER";
        };
    }
}
