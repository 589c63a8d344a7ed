package io.loomcache.server.connection;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAG_NO_REPLY;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import io.loomcache.protocol.CommandTable;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.FrameHandler;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.HelloDecoder;
import io.loomcache.protocol.HelloResponseEncoder;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.PartitionTableCodec;
import io.loomcache.protocol.ResponseDescriptor;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.protocol.ScanDescriptor;
import io.loomcache.protocol.raft.RaftMessageDescriptor;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.cluster.ClusterMembers;
import io.loomcache.server.cluster.PeerLinks;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.executor.FanOutTable;
import io.loomcache.server.executor.MapCommands;
import io.loomcache.server.executor.PartitionAgent;
import io.loomcache.server.executor.ReplicatedPartitions;
import io.loomcache.server.executor.RequestRecordDescriptor;
import io.loomcache.server.executor.ResponseDelivery;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.server.resp.PubSub;

/**
 * Decodes one connection's inbound bytes and dispatches each request (Aeron's adapter role): cuts frames with a
 * {@link FrameDecoder}, refuses what the {@link CommandTable}'s flags forbid here and now (once per request, before
 * dispatch), answers HELLO (the highest version both sides speak, in which this adapter answers from then on) and
 * PING itself, validates map requests with a {@link MapRequestDecoder},
 * and copies each into the owning executor's request ring once ({@link RequestRecordDescriptor}); MAP_SIZE and
 * MAP_CLEAR go to every executor through a {@link FanOutTable} slot. A full ring or the BUSY level answers
 * RESPONSE_SERVER_BUSY. A bad frame is answered RESPONSE_ERROR with its stable code and the frame's correlation
 * id (0 when its header could not be read) and the connection closes after flushing; a request error that leaves
 * the stream intact (key or value too long, negative TTL, wrong map, unsupported opcode) keeps it open. A split
 * frame the node's partial-frame budget ({@link FrameAssemblyPool}) cannot assemble is answered SERVER_BUSY and
 * skipped, keeping the connection. A request that finds the node's connection memory spent (no outbound ring to be
 * had, see {@link ConnectionBuffers}) is answered SERVER_BUSY too.
 * Runs on the connection's reader thread only; allocation-free per frame.
 */
public final class ConnectionAdapter implements FrameHandler, InboundAdapter {
    private static final int SCRATCH_LENGTH = 512;
    /** Split frames up to this length assemble in the connection's own buffer; longer ones in the node's pool. */
    private static final int BASE_ASSEMBLY_LENGTH = 1024;
    private static final int TAIL_LENGTH = FrameHeaderDescriptor.HEADER_LENGTH;
    private static final int NO_PEER = -1;
    private static final UnsafeBuffer ONLY_MAP_ZERO =
        new UnsafeBuffer("only map 0 is served by this version".getBytes(StandardCharsets.US_ASCII));

    /** The message of the UNSUPPORTED_OPERATION a cluster member answers MAP_CLEAR with. */
    static final DirectBuffer CLEAR_IN_CLUSTER_REFUSAL = new UnsafeBuffer(
        "MAP_CLEAR is not served by a cluster yet: remove the keys, or restart the cluster with wiped data"
            .getBytes(StandardCharsets.US_ASCII));

    private final Connection connection;
    private final PubSub pubSub;
    private final ExecutorGroup executors;
    private final PeerLinks peers;
    private final FanOutTable fanOut;
    private final BackpressureController backpressure;
    private final ServerContext context;
    private final FrameDecoder decoder;
    private final MapRequestDecoder mapRequest;
    private final HelloDecoder hello = new HelloDecoder();
    private final ResponseEncoder encoder;
    private final HelloResponseEncoder helloEncoder = new HelloResponseEncoder();
    private final ResponseDelivery delivery;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SCRATCH_LENGTH]);
    private final byte[] tail = new byte[TAIL_LENGTH];
    private PartitionAgent entered;
    private int inlinePending;
    private long chunkStart;
    private long framesEnd;
    private boolean stopped;
    private boolean wake;
    private int peerId = NO_PEER;
    private ExpandableArrayBuffer table;
    private UnsafeBuffer tableFrame;
    private PubSub.Publisher publisher;

    /**
     * Creates the adapter of one connection.
     *
     * @param connection the connection.
     * @param services the node's shared services.
     */
    public ConnectionAdapter(final Connection connection, final ConnectionServices services) {
        this.connection = connection;
        this.executors = services.executors();
        this.pubSub = services.pubSub();
        this.peers = services.peers();
        this.fanOut = services.fanOut();
        this.backpressure = services.backpressure();
        this.context = services.context();
        this.decoder = new FrameDecoder(context.protocolLimits(), this, BASE_ASSEMBLY_LENGTH, services.assembly());
        this.mapRequest = new MapRequestDecoder(context.protocolLimits());
        this.encoder = new ResponseEncoder(context.protocolLimits());
        this.delivery = new ResponseDelivery(services.registry(), fanOut, services.metrics(), context.nanoClock());
    }

    /**
     * Starts a batch of requests that come as frames encoded by another adapter (the Redis port's commands), as a
     * chunk of bytes does in {@link #onBytes}: holds the outbound ring until {@link #endRequests()}.
     *
     * @return false once the connection is retired (nothing may be dispatched).
     */
    public boolean beginRequests() {
        if (!connection.hold()) {
            stopped = true;
            return false;
        }
        return true;
    }

    /**
     * Ends a batch begun with {@link #beginRequests()}: answers of requests run inline are released, the writer woken.
     */
    public void endRequests() {
        try {
            endInline();
            if (wake) {
                wake = false;
                connection.wakeWriter();
            }
        } finally {
            connection.unhold();
        }
    }

    /**
     * Dispatches one request frame of a batch exactly as if it had been read from the socket.
     *
     * @param buffer the frame.
     * @param offset of the frame.
     * @param length of the frame.
     */
    public void dispatch(final DirectBuffer buffer, final int offset, final int length) {
        onFrame(buffer, offset, length);
    }

    /**
     * Queues a frame the caller encoded (at offset 0 of {@code frame}) for the writer, within a batch.
     *
     * @param frame the frame.
     * @param length of the frame.
     */
    public void deliverLocal(final DirectBuffer frame, final int length) {
        reply(0, frame, length);
    }

    @Override
    public int onBytes(final DirectBuffer buffer, final int offset, final int length, final long nowMs) {
        if (!connection.hold()) {
            stopped = true;
            return -ErrorCode.INTERNAL_ERROR;
        }
        try {
            return decode(buffer, offset, length, nowMs);
        } finally {
            endInline();
            connection.unhold();
        }
    }

    private int decode(final DirectBuffer buffer, final int offset, final int length, final long nowMs) {
        final int frames = decoder.onBytes(buffer, offset, length);
        if (frames < 0 && !stopped) {
            final int errorCode = -frames;
            if (errorCode == ErrorCode.INTERNAL_ERROR && decoder.handlerException() != null) {
                context.log().error(Component.CONNECTION, "connection adapter", decoder.handlerException());
            }
            fail(failedCorrelationId(buffer, offset, length), errorCode);
        }
        rememberTail(buffer, offset, length);
        connection.onReadProgress(decoder.inFrame(), Math.max(0, frames), nowMs);
        if (wake) {
            wake = false;
            connection.wakeWriter();
        }
        return stopped ? -Math.max(1, decoder.decodeError()) : frames;
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }

    @Override
    public void release() {
        decoder.release();
    }

    /**
     * A frame the node's partial-frame budget could not assemble: answered SERVER_BUSY (the client may retry); the
     * decoder skips its body and the connection stays open.
     */
    @Override
    public void onFrameRefused(final DirectBuffer header, final int offset, final int frameLength) {
        if (peerId != NO_PEER) {
            // a peer reads nothing on its link: a refused Raft frame is simply lost, and Raft resends
            return;
        }
        final long correlationId = header.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
        busy(header.getByte(offset + FLAGS_OFFSET) & 0xFF, correlationId);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
        framesEnd += length;
        if (stopped || connection.state() != Connection.OPEN) {
            return;
        }
        final int opcode = buffer.getShort(offset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
        final int flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        if (peerId != NO_PEER && ReplicatedPartitions.isRaft(opcode)) {
            onPeerFrame(opcode, buffer, offset, length);
            return;
        }
        if (peerId != NO_PEER && opcode == Opcodes.PEER_PUBLISH) {
            onPeerPublish(buffer, offset, length);
            return;
        }
        final int refusal = refusal(CommandTable.flags(opcode));
        if (refusal != ErrorCode.NONE) {
            final DirectBuffer message = refusal == ErrorCode.INTERNAL_ERROR ? MapCommands.WAL_FAILED_REFUSAL :
                ErrorCode.descriptionBytes(refusal);
            reply(flags, encoder.wrap(scratch, 0).error(correlationId, refusal, message, 0, message.capacity()));
            return;
        }
        switch (opcode) {
            case Opcodes.HELLO -> onHello(buffer, offset, length, correlationId);
            case Opcodes.PING -> reply(flags, encoder.wrap(scratch, 0).ok(correlationId));
            case Opcodes.PEER_HELLO -> onPeerHello(buffer, offset, length, correlationId);
            case Opcodes.PARTITION_TABLE -> onPartitionTable(flags, correlationId);
            default -> {
                if (MapRequestDescriptor.isMapOpcode(opcode)) {
                    onMapRequest(buffer, offset, length, correlationId, flags);
                } else {
                    replyError(flags, correlationId, ErrorCode.UNSUPPORTED_OPERATION);
                }
            }
        }
    }

    /**
     * The rules the {@link CommandTable} declares, checked once per request before dispatch, as Redis checks a
     * command's flags once: a peer opcode is refused PERMISSION_DENIED (every connection here is a client's), a
     * response or event sent as a request UNEXPECTED_OPCODE, a command that reads or writes state while the node
     * drains SHUTTING_DOWN, and a write while the node is read-only ({@link ExecutorGroup#readOnly()}: a WAL failed)
     * INTERNAL_ERROR saying it was not applied. The connection stays open.
     */
    private int refusal(final int commandFlags) {
        if ((commandFlags & CommandTable.FLAG_PEER) != 0) {
            return ErrorCode.PERMISSION_DENIED;
        }
        if ((commandFlags & (CommandTable.FLAG_RESPONSE | CommandTable.FLAG_EVENT)) != 0) {
            return ErrorCode.UNEXPECTED_OPCODE;
        }
        if ((commandFlags & (CommandTable.FLAG_READ | CommandTable.FLAG_WRITE)) != 0 &&
            backpressure.level() == BackpressureController.SHUTTING_DOWN) {
            return ErrorCode.SHUTTING_DOWN;
        }
        if ((commandFlags & CommandTable.FLAG_WRITE) != 0 && executors.readOnly()) {
            return ErrorCode.INTERNAL_ERROR;
        }
        return ErrorCode.NONE;
    }

    /**
     * A cluster member opens its link: the connection then carries that member's Raft frames. Refused (and closed)
     * on a single node, for an unknown member id, or for this node's own id.
     */
    private void onPeerHello(final DirectBuffer buffer, final int offset, final int length, final long correlationId) {
        final ClusterMembers members = context.members();
        final int body = offset + FrameHeaderDescriptor.HEADER_LENGTH;
        final int memberId = buffer.getInt(body, FrameHeaderDescriptor.BYTE_ORDER);
        final long fingerprint = buffer.getLong(body + Integer.BYTES, FrameHeaderDescriptor.BYTE_ORDER);
        final String refusal;
        if (members == null) {
            refusal = "this node is not a cluster member";
        } else if (members.byId(memberId) == null || memberId == members.self().id()) {
            refusal = "not another member of this cluster";
        } else if (fingerprint != context.cluster().fingerprint()) {
            refusal = members.byId(memberId).name() + "'s cluster settings differ from this node's (the member " +
                "list and its order, --raft-groups and --max-frame-length must be the same on every member)";
        } else {
            refusal = null;
        }
        if (refusal != null) {
            context.log().info(Component.CLUSTER, "refused a peer link from " + connection.remoteAddress()
                .getHostAddress() + " claiming member id " + memberId + ": " + refusal);
            fail(correlationId, ErrorCode.PERMISSION_DENIED);
            return;
        }
        peerId = memberId;
        if (length >= FrameHeaderDescriptor.HEADER_LENGTH + PeerLinks.HELLO_BODY_LENGTH) {
            members.respPort(memberId, buffer.getInt(body + Integer.BYTES + Long.BYTES, BYTE_ORDER));
        }
    }

    /**
     * Answers PARTITION_TABLE with this member's view ({@link PartitionTableCodec} as a RESPONSE_VALUE): the members'
     * client addresses and each group's known leader and term, as last published by the executors. A single node
     * answers UNSUPPORTED_OPERATION. Allocates its buffers on first use (a client asks rarely).
     */
    private void onPartitionTable(final int flags, final long correlationId) {
        final ClusterMembers members = context.members();
        if (members == null) {
            replyError(flags, correlationId, ErrorCode.UNSUPPORTED_OPERATION);
            return;
        }
        if (table == null) {
            table = new ExpandableArrayBuffer(1024);
            tableFrame = new UnsafeBuffer(new byte[PartitionTableCodec.HEAD_LENGTH + members.size() *
                (2 * Integer.BYTES + ResponseDescriptor.MAX_ADDRESS_LENGTH) + executors.raftGroups() *
                PartitionTableCodec.GROUP_LENGTH + 256]);
        }
        final int groups = executors.raftGroups();
        int position = PartitionTableCodec.putHead(table, 0, context.partitions(), groups, members.size());
        for (final ClusterMembers.Member member : members.members()) {
            position = PartitionTableCodec.putMember(table, position, member.id(), member.addressBytes());
        }
        for (int g = 0; g < groups; g++) {
            final ReplicatedPartitions.Group group = executors.agentForGroup(g).replicated().group(g);
            position = PartitionTableCodec.putGroup(table, position, group.leaderId(), group.term());
        }
        reply(flags, tableFrame, encoder.wrap(tableFrame, 0).value(correlationId, table, 0, position));
    }

    /**
     * A Raft frame from a peer: to the ring of the executor hosting its group; dropped when that ring is full. A
     * {@link Opcodes#PEER_BATCH} is taken apart into its frames, each routed as if it had come alone; a batch whose
     * frames do not add up exactly to its body, or that holds a batch or a frame of another category, is dropped
     * from that frame on (the peer's frames are validated by their groups as any other).
     */
    private void onPeerFrame(final int opcode, final DirectBuffer buffer, final int offset, final int length) {
        if (opcode == Opcodes.PEER_BATCH) {
            final int end = offset + length;
            int position = offset + FrameHeaderDescriptor.HEADER_LENGTH;
            while (end - position >= FrameHeaderDescriptor.HEADER_LENGTH) {
                final long frameLength = FrameHeaderDescriptor.HEADER_LENGTH +
                    (buffer.getInt(position + FrameHeaderDescriptor.BODY_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFFFFFFL);
                final int inner = buffer.getShort(position + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
                if (frameLength > end - position || inner == Opcodes.PEER_BATCH ||
                    !ReplicatedPartitions.isRaft(inner)) {
                    return;
                }
                onPeerFrame(inner, buffer, position, (int)frameLength);
                position += (int)frameLength;
            }
            return;
        }
        if (length < FrameHeaderDescriptor.HEADER_LENGTH + RaftMessageDescriptor.GROUP_ID_OFFSET + Integer.BYTES ||
            executors.raftGroups() == 0) {
            return;
        }
        final int group = RaftMessageDescriptor.groupId(buffer, offset);
        if (group < 0 || group >= executors.raftGroups()) {
            return;
        }
        if (peers != null && CommandTable.hasFlag(opcode, CommandTable.FLAG_RESPONSE)) {
            // only a reply proves that this node's own link to the peer delivers (see PeerLinks.heard)
            peers.heard(peerId);
        }
        final PartitionAgent agent = executors.agentForGroup(group);
        if (enqueue(agent.requests(), buffer, offset, length, context.nanoClock().nanoTime(),
            RequestRecordDescriptor.NO_FAN_OUT_SLOT)) {
            agent.wake();
        }
    }

    /**
     * A Redis PUBLISH made on the peer: delivered to this member's subscribers; a malformed one is dropped (a peer
     * link answers nothing).
     */
    private void onPeerPublish(final DirectBuffer buffer, final int offset, final int length) {
        final int body = offset + FrameHeaderDescriptor.HEADER_LENGTH;
        final int bodyLength = length - FrameHeaderDescriptor.HEADER_LENGTH;
        final int channelLength = bodyLength < Integer.BYTES ? -1 : buffer.getInt(body, BYTE_ORDER);
        if (channelLength < 0 || channelLength > bodyLength - Integer.BYTES) {
            return;
        }
        if (publisher == null) {
            publisher = new PubSub.Publisher();
        }
        final int channel = body + Integer.BYTES;
        pubSub.publish(buffer, channel, channelLength, buffer, channel + channelLength,
            bodyLength - Integer.BYTES - channelLength, publisher);
        publisher.wakeSubscribers();
    }

    private void onHello(final DirectBuffer buffer, final int offset, final int length, final long correlationId) {
        hello.wrap(buffer, offset, length);
        if (!hello.isValid()) {
            if (hello.decodeError() == ErrorCode.MALFORMED_FRAME) {
                fail(correlationId, ErrorCode.MALFORMED_FRAME);
            } else {
                replyError(0, correlationId, hello.decodeError());
            }
            return;
        }
        final int version = hello.negotiate(FrameHeaderDescriptor.MIN_VERSION, FrameHeaderDescriptor.MAX_VERSION);
        if (version == HelloDecoder.NO_COMMON_VERSION) {
            fail(correlationId, ErrorCode.UNSUPPORTED_VERSION);
            return;
        }
        reply(0, helloEncoder.wrap(scratch, 0).correlationId(correlationId).negotiatedVersion(version)
            .nodeId(context.nodeId()).maxFrameLength(context.maxFrameLength())
            .partitionCount(context.partitions()).frameLength());
        encoder.version(version);
    }

    private void onMapRequest(
        final DirectBuffer buffer, final int offset, final int length, final long correlationId, final int flags) {
        mapRequest.wrap(buffer, offset, length);
        if (!mapRequest.isValid()) {
            final int errorCode = mapRequest.decodeError();
            if (errorCode == ErrorCode.MALFORMED_FRAME || errorCode == ErrorCode.BODY_TOO_SHORT) {
                fail(correlationId, errorCode);
            } else {
                replyError(flags, correlationId, errorCode);
            }
            return;
        }
        if (mapRequest.mapId() != 0) {
            reply(flags, encoder.wrap(scratch, 0).error(correlationId, ErrorCode.INVALID_ARGUMENT, ONLY_MAP_ZERO, 0,
                ONLY_MAP_ZERO.capacity()));
            return;
        }
        if (backpressure.level() == BackpressureController.BUSY) {
            busy(flags, correlationId);
            return;
        }
        final boolean hadRing = connection.hasRing();
        if (!connection.ensureRing()) {
            busy(flags, correlationId);
            return;
        }
        if (!hadRing) {
            // whatever happens to this request, the writer must look at the new lease again to give it back
            wake = true;
        }
        final long receivedNs = context.nanoClock().nanoTime();
        if (mapRequest.opcode() == Opcodes.MAP_SCAN || mapRequest.opcode() == Opcodes.MAP_RANDOM_KEY) {
            // addressed to one executor, whose store the scan (or the random pick) walks
            final int executor = ScanDescriptor.executor(mapRequest.argument());
            if (executor >= executors.count()) {
                replyError(flags, correlationId, ErrorCode.INVALID_ARGUMENT);
                return;
            }
            dispatchTo(executors.agent(executor), buffer, offset, length, correlationId, flags, receivedNs);
            return;
        }
        if (CommandTable.hasFlag(mapRequest.opcode(), CommandTable.FLAG_KEYED)) {
            dispatchTo(executors.agent(executors.executorFor(buffer, mapRequest.keyOffset(), mapRequest.keyLength())),
                buffer, offset, length, correlationId, flags, receivedNs);
            return;
        }
        if (executors.raftGroups() != 0 && mapRequest.opcode() == Opcodes.MAP_CLEAR) {
            // a clear must go through the log of every group, and this member leads only some of them
            final DirectBuffer message = CLEAR_IN_CLUSTER_REFUSAL;
            reply(flags, encoder.wrap(scratch, 0).error(correlationId, ErrorCode.UNSUPPORTED_OPERATION, message, 0,
                message.capacity()));
            return;
        }
        final int count = executors.count();
        final int slot = fanOut.claim(connection.id(), correlationId, mapRequest.opcode(), flags, receivedNs, count);
        if (slot == FanOutTable.NO_SLOT) {
            busy(flags, correlationId);
            return;
        }
        connection.requestStarted();
        for (int i = 0; i < count; i++) {
            if (!enqueue(executors.ring(i), buffer, offset, length, receivedNs, slot)) {
                delivery.contribute(slot, 0, ErrorCode.SERVER_BUSY);
            } else if (entered != executors.agent(i)) {
                executors.agent(i).wake();
            }
        }
    }

    /** Runs a request for one executor inline when it may, else queues it in the executor's ring. */
    private void dispatchTo(
        final PartitionAgent agent,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long correlationId,
        final int flags,
        final long receivedNs) {
        connection.requestStarted();
        if (runInline(agent, buffer, offset, length, receivedNs)) {
            return;
        }
        if (!enqueue(agent.requests(), buffer, offset, length, receivedNs,
            RequestRecordDescriptor.NO_FAN_OUT_SLOT)) {
            connection.requestFinished();
            busy(flags, correlationId);
            return;
        }
        if (entered != agent) {
            agent.wake();
        }
    }

    /**
     * Runs a keyed request inline on this thread, in the executor's place, when that keeps every rule of the
     * executor: nothing else of this connection is in flight (no request waits in a ring or is held, so requests
     * still run in the order they were read), the connection is not backlogged, the request needs no group commit
     * ({@link PartitionAgent#mayRunInline}), and the executor is free ({@link PartitionAgent#tryEnter()}) or
     * already entered for this read. Answers are staged in the executor and released when the read's requests are
     * done ({@link #endInline()}), after the WAL force when one is due.
     *
     * @return true when the request ran; false to queue it in the executor's ring.
     */
    private boolean runInline(
        final PartitionAgent agent,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receivedNs) {
        if (!agent.mayRunInline(CommandTable.hasFlag(mapRequest.opcode(), CommandTable.FLAG_WRITE))) {
            return false;
        }
        if (entered != agent || !agent.hasRoomInline()) {
            endInline();
        }
        // this request is counted in flight already; anything else in flight runs elsewhere, ahead of it
        if (connection.inFlight() != inlinePending + 1 || connection.isBacklogged()) {
            return false;
        }
        if (entered == null) {
            if (!agent.tryEnter()) {
                return false;
            }
            entered = agent;
            agent.beginBatch();
        }
        agent.runInline(connection.id(), receivedNs, buffer, offset, length);
        inlinePending++;
        return true;
    }

    /**
     * Ends the inline batch of this read, if any: the executor forces its WAL when due, hands the answers to their
     * connections and is given back.
     */
    private void endInline() {
        final PartitionAgent agent = entered;
        if (agent != null) {
            entered = null;
            inlinePending = 0;
            try {
                agent.endBatch();
            } finally {
                agent.exit();
            }
        }
    }

    private boolean enqueue(
        final ManyToOneRingBuffer ring,
        final DirectBuffer frame,
        final int offset,
        final int length,
        final long receivedNs,
        final int fanOutSlot) {
        final int index = ring.tryClaim(RequestRecordDescriptor.MSG_TYPE_REQUEST,
            RequestRecordDescriptor.FRAME_OFFSET + length);
        if (index < 0) {
            return false;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        buffer.putLong(index + RequestRecordDescriptor.CONNECTION_ID_OFFSET, connection.id());
        buffer.putLong(index + RequestRecordDescriptor.RECEIVED_NS_OFFSET, receivedNs);
        buffer.putInt(index + RequestRecordDescriptor.FAN_OUT_SLOT_OFFSET, fanOutSlot);
        buffer.putInt(index + RequestRecordDescriptor.RESERVED_OFFSET, 0);
        buffer.putBytes(index + RequestRecordDescriptor.FRAME_OFFSET, frame, offset, length);
        ring.commit(index);
        return true;
    }

    private void busy(final int flags, final long correlationId) {
        reply(flags, encoder.wrap(scratch, 0).serverBusy(correlationId, BackpressureController.RETRY_AFTER_MS));
    }

    private void replyError(final int flags, final long correlationId, final int errorCode) {
        reply(flags, encoder.wrap(scratch, 0).error(correlationId, errorCode));
    }

    private void reply(final int flags, final int length) {
        reply(flags, scratch, length);
    }

    private void reply(final int flags, final DirectBuffer frame, final int length) {
        if ((flags & FLAG_NO_REPLY) == 0 && length > 0) {
            connection.ensureRing();
            delivery.deliver(connection, frame, 0, length);
            wake = true;
        }
    }

    private void fail(final long correlationId, final int errorCode) {
        reply(0, encoder.wrap(scratch, 0).error(correlationId, errorCode));
        stopped = true;
        connection.startClosing("protocol error " + ErrorCode.name(errorCode));
    }

    /**
     * The correlation id of the header the decoder rejected: it starts where the last delivered frame ended, and
     * its first bytes may have come with the previous chunk (kept in {@link #tail}).
     */
    private long failedCorrelationId(final DirectBuffer buffer, final int offset, final int length) {
        long correlationId = 0;
        final long first = framesEnd + CORRELATION_ID_OFFSET;
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            final long position = first + i;
            final int value;
            if (position >= chunkStart && position < chunkStart + length) {
                value = buffer.getByte(offset + (int)(position - chunkStart)) & 0xFF;
            } else if (position < chunkStart && position >= chunkStart - TAIL_LENGTH) {
                value = tail[(int)(position - (chunkStart - TAIL_LENGTH))] & 0xFF;
            } else {
                return 0;
            }
            correlationId = (correlationId << Byte.SIZE) | value;
        }
        return correlationId;
    }

    private void rememberTail(final DirectBuffer buffer, final int offset, final int length) {
        if (length >= TAIL_LENGTH) {
            buffer.getBytes(offset + length - TAIL_LENGTH, tail, 0, TAIL_LENGTH);
        } else {
            System.arraycopy(tail, length, tail, 0, TAIL_LENGTH - length);
            buffer.getBytes(offset, tail, TAIL_LENGTH - length, length);
        }
        chunkStart += length;
    }
}
