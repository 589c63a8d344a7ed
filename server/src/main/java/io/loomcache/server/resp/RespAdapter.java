package io.loomcache.server.resp;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderEncoder;
import io.loomcache.protocol.CommandTable;
import io.loomcache.protocol.KeySlot;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.resp.RespReplyEncoder;
import io.loomcache.protocol.resp.RespRequestParser;
import io.loomcache.server.cluster.PeerLinks;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionAdapter;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.connection.InboundAdapter;
import io.loomcache.server.connection.FrameAssemblyPool;

/**
 * Decodes a Redis connection's inbound bytes into commands ({@link RespRequestParser}) and runs each
 * ({@link RespCommands}): a command on keys becomes map requests, encoded here and dispatched through the binary
 * protocol's {@link ConnectionAdapter} (same validation, routing, inline execution, backpressure and replication as
 * a binary client's request), each with a {@link RespCorrelation} id saying which part of the reply stream its answer
 * is; a command the node answers itself is encoded here as a RAW part, consecutive ones batched into one frame. The
 * connection's {@link RespReplies} puts the parts back in order on the writer's side.
 * <p>
 * A command split across reads is assembled in a buffer taken from the node's partial-frame budget
 * ({@link FrameAssemblyPool}), given back as soon as it is complete; when the budget is spent the client is answered
 * an error and the connection closed (the stream cannot be resynchronised without the command). A protocol error is
 * answered as Redis answers it and closes the connection. Reader thread only; allocation-free per command in steady
 * state (buffers grow to the largest command and reply seen).
 */
public final class RespAdapter implements InboundAdapter {
    private static final int INITIAL_FRAME_LENGTH = 512;
    private static final int RAW_FLUSH_BYTES = 16 * 1024;
    private static final byte[] ASSEMBLY_REFUSED = RespErrors.ascii("ERR the node has no memory left for partial " +
        "commands right now (its --partial-frame-budget is spent): the connection is closed, retry");

    private final Connection connection;
    private final ConnectionAdapter binary;
    private final ConnectionServices services;
    private final FrameAssemblyPool assemblyPool;
    private final RespRequestParser parser;
    private final RespCommands commands;
    private final MapRequestEncoder request;
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private final RespReplyEncoder encoder = new RespReplyEncoder();
    private final ExpandableArrayBuffer raw = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer parameters = new UnsafeBuffer(new byte[HEADER_LENGTH + 2 * Long.BYTES]);
    private final int maxFrameLength;
    private final ProtocolLimits limits;
    private final boolean cluster;
    /** The key of the request being sent (an argument's bytes, or a key the node made). */
    private DirectBuffer key;
    private int keyOffset;
    private int keyLength;
    private UnsafeBuffer frame = new UnsafeBuffer(new byte[INITIAL_FRAME_LENGTH]);
    private UnsafeBuffer assembly;
    private int assemblyLength;
    private long sequence = 1;
    private long rawFirst;
    private int rawParts;
    private int rawEnd = HEADER_LENGTH;
    private boolean resp3;
    private boolean stopped;
    private boolean closeAfterReplies;
    /** Whether the reply being sent goes on in later parts (MGET): no pub/sub message may be written between. */
    private boolean replyOpen;
    /** {@link #replyOpen} and {@link #resp3} as the last part of the RAW batch ended. */
    private boolean rawOpen;
    private boolean rawResp3;
    private PubSub.Subscriber subscriber;
    private PubSub.Publisher publisher;

    /**
     * Creates the adapter of one Redis connection.
     *
     * @param connection the connection, already rendering with a {@link RespReplies}.
     * @param services the node's shared services.
     */
    public RespAdapter(final Connection connection, final ConnectionServices services) {
        this.connection = connection;
        this.services = services;
        this.binary = new ConnectionAdapter(connection, services);
        this.assemblyPool = services.assembly();
        this.maxFrameLength = services.context().maxFrameLength();
        this.limits = services.context().protocolLimits();
        this.cluster = services.context().members() != null;
        this.parser = new RespRequestParser(RespRequestParser.DEFAULT_MAX_ARGS,
            Math.max(limits.maxValueLength(), limits.maxKeyLength()), maxFrameLength);
        this.request = new MapRequestEncoder(limits);
        this.commands = new RespCommands(this, services);
    }

    @Override
    public int onBytes(final DirectBuffer buffer, final int offset, final int length, final long nowMs) {
        if (stopped) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        if (!binary.beginRequests()) {
            stopped = true;
            return -ErrorCode.INTERNAL_ERROR;
        }
        int delivered = 0;
        try {
            delivered = assemblyLength > 0 ? continueAssembly(buffer, offset, length) :
                parseAll(buffer, offset, length);
            flushRaw();
        } finally {
            try {
                binary.endRequests();
            } finally {
                if (publisher != null) {
                    publisher.wakeSubscribers();
                }
            }
        }
        connection.onReadProgress(assemblyLength > 0, delivered, nowMs);
        if (closeAfterReplies) {
            stopped = true;
            connection.startClosing("client sent QUIT");
        }
        return stopped ? -ErrorCode.MALFORMED_FRAME : delivered;
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }

    @Override
    public void release() {
        if (subscriber != null) {
            services.pubSub().unsubscribeAll(subscriber);
        }
        if (assembly != null) {
            assemblyPool.release(assembly);
            assembly = null;
            assemblyLength = 0;
        }
        parser.reset();
    }

    private int parseAll(final DirectBuffer buffer, final int offset, final int length) {
        int position = offset;
        final int end = offset + length;
        int delivered = 0;
        while (position < end && !stopped && !closeAfterReplies) {
            final int consumed = parser.parse(buffer, position, end - position);
            if (consumed == RespRequestParser.INCOMPLETE) {
                startAssembly(buffer, position, end - position);
                break;
            }
            if (consumed < 0) {
                protocolError(consumed);
                break;
            }
            position += consumed;
            if (parser.argCount() > 0) {
                commands.execute(parser);
                delivered++;
            }
        }
        return delivered;
    }

    /**
     * Appends new bytes to the command being assembled (no more than a command may hold); once it is complete, goes
     * on in place with the rest of the new bytes.
     */
    private int continueAssembly(final DirectBuffer buffer, final int offset, final int length) {
        final int before = assemblyLength;
        final int piece = Math.min(length, maxFrameLength - before);
        if (piece <= 0) {
            protocolError(RespRequestParser.ERROR_COMMAND_TOO_LONG);
            return 0;
        }
        if (!ensureAssembly(before + piece)) {
            return 0;
        }
        assembly.putBytes(before, buffer, offset, piece);
        assemblyLength = before + piece;
        final int consumed = parser.parse(assembly, 0, assemblyLength);
        if (consumed == RespRequestParser.INCOMPLETE) {
            if (piece < length) {
                protocolError(RespRequestParser.ERROR_COMMAND_TOO_LONG);
            }
            return 0;
        }
        if (consumed < 0) {
            protocolError(consumed);
            return 0;
        }
        int delivered = 0;
        if (parser.argCount() > 0) {
            commands.execute(parser);
            delivered++;
        }
        releaseAssembly();
        final int usedOfNew = consumed - before;
        return delivered + parseAll(buffer, offset + usedOfNew, length - usedOfNew);
    }

    private void startAssembly(final DirectBuffer buffer, final int offset, final int length) {
        if (ensureAssembly(length)) {
            assembly.putBytes(0, buffer, offset, length);
            assemblyLength = length;
        }
    }

    private boolean ensureAssembly(final int capacity) {
        if (assembly != null && assembly.capacity() >= capacity) {
            return true;
        }
        final UnsafeBuffer grown = assemblyPool.acquire(Math.min(maxFrameLength, Math.max(capacity,
            2 * (assembly == null ? 0 : assembly.capacity()))));
        if (grown == null) {
            endSubscriptions();
            beginReply().error(ASSEMBLY_REFUSED);
            endReply();
            flushRaw();
            releaseAssembly();
            parser.reset();
            stopped = true;
            connection.startClosing("no assembly memory for a split Redis command");
            return false;
        }
        if (assembly != null) {
            grown.putBytes(0, assembly, 0, assemblyLength);
            assemblyPool.release(assembly);
        }
        assembly = grown;
        return true;
    }

    private void releaseAssembly() {
        assemblyLength = 0;
        if (assembly != null) {
            assemblyPool.release(assembly);
            assembly = null;
        }
    }

    /**
     * Ends the connection's subscriptions before it closes (QUIT, a protocol error): Redis sends nothing after the
     * last reply, and a closing connection would otherwise go on receiving messages until its writer has drained.
     */
    void endSubscriptions() {
        if (subscribed()) {
            queueEarlierReplies();
            services.pubSub().unsubscribeAll(subscriber);
            connection.wakeWriter();
        }
    }

    /**
     * Queues the replies encoded so far before the subscriptions change: a message held for a confirmation among them
     * is then written before the replies that follow (the writer releases held messages between frames, not inside
     * one). Drops the connection as a slow consumer past its spill limit.
     */
    void queueEarlierReplies() {
        if (!queueRepliesNow()) {
            connection.dropSlowConsumer(connection.spillLimitReason());
        }
    }

    private void protocolError(final int error) {
        endSubscriptions();
        beginReply().error(RespErrors.ascii("ERR " + RespRequestParser.errorMessage(error, parser.unexpectedByte())));
        endReply();
        // into the outbound ring before the close starts: a writer awake from an earlier reply closes as soon as it
        // finds the ring empty, and the error would be lost (seen once in RespPortTest)
        flushRaw();
        releaseAssembly();
        parser.reset();
        stopped = true;
        connection.startClosing("Redis protocol error: " + RespRequestParser.errorMessage(error,
            parser.unexpectedByte()));
    }

    /**
     * Starts a reply the node answers itself (the next part of the stream); write it, then {@link #endReply()}.
     *
     * @return the encoder, in the connection's protocol version.
     */
    RespReplyEncoder beginReply() {
        if (rawParts == 0) {
            rawFirst = sequence;
            rawEnd = HEADER_LENGTH;
        }
        sequence++;
        rawParts++;
        return encoder.wrap(raw, rawEnd).resp3(resp3);
    }

    /**
     * Ends a reply begun with {@link #beginReply()}.
     */
    void endReply() {
        rawEnd = encoder.position();
        // the frame's flags describe its last part as it ended (MGET's header leaves the reply open; HELLO switches)
        rawOpen = replyOpen;
        rawResp3 = resp3;
        if (rawParts == RespCorrelation.MAX_PARTS || rawEnd >= RAW_FLUSH_BYTES) {
            flushRaw();
        }
    }

    private void flushRaw() {
        if (rawParts == 0) {
            return;
        }
        rawHeader();
        binary.deliverLocal(raw, rawEnd);
        rawParts = 0;
        rawEnd = HEADER_LENGTH;
    }

    private void rawHeader() {
        header.wrap(raw, 0).header(Opcodes.RESPONSE_OK, 0,
            RespCorrelation.of(rawFirst, RespCorrelation.RAW, (rawOpen ? RespCorrelation.CONTINUED : 0) |
                (rawResp3 ? RespCorrelation.RESP3 : 0)) |
            ((long)rawParts << RespCorrelation.PARTS_SHIFT), rawEnd - HEADER_LENGTH);
    }

    /**
     * Sends one map request whose answer is the next part of the reply stream.
     *
     * @param opcode a keyed MAP_* opcode, or MAP_SIZE / MAP_CLEAR.
     * @param kind how its answer is rendered ({@link RespCorrelation}).
     * @param flags {@link RespCorrelation#FIRST} / {@link RespCorrelation#LAST}, or 0 (for MAP_SCAN also the
     *     executor in the slot bits).
     * @param argument the TTL in ms, or the opcode's int64 argument, when the opcode carries one.
     * @param keyArg the argument index of the key, -1 for none.
     * @param valueArg the argument index of the value, -1 for none.
     * @return true when sent; false when a length broke the node's limits (an error reply took the part's place).
     */
    boolean send(
        final int opcode, final int kind, final long flags, final long argument, final int keyArg,
        final int valueArg) {
        return send(opcode, kind, flags, argument, keyArg, parser.buffer(),
            valueArg < 0 ? 0 : parser.argOffset(valueArg), valueArg < 0 ? 0 : parser.argLength(valueArg));
    }

    /**
     * Sends one map request whose value is given rather than an argument of the command.
     *
     * @param opcode a keyed MAP_* opcode.
     * @param kind how its answer is rendered.
     * @param flags as {@link #send(int, int, long, long, int, int)}.
     * @param argument the opcode's int64 argument when it carries one.
     * @param keyArg the argument index of the key, -1 for none.
     * @param value the value's buffer.
     * @param valueOffset of the value.
     * @param valueLength of the value.
     * @return true when sent.
     */
    boolean send(
        final int opcode, final int kind, final long flags, final long argument, final int keyArg,
        final DirectBuffer value, final int valueOffset, final int valueLength) {
        key = parser.buffer();
        keyOffset = keyArg < 0 ? 0 : parser.argOffset(keyArg);
        keyLength = keyArg < 0 ? 0 : parser.argLength(keyArg);
        return dispatch(opcode, kind, flags, argument, value, valueOffset, valueLength);
    }

    /**
     * Sends one map request for a key that is not an argument of the command (MAP_CLEAR_GROUP's key of a group).
     *
     * @param opcode a keyed MAP_* opcode without value.
     * @param kind how its answer is rendered.
     * @param flags as {@link #send(int, int, long, long, int, int)}.
     * @param key the key.
     * @return true when sent.
     */
    boolean sendKey(final int opcode, final int kind, final long flags, final DirectBuffer key) {
        this.key = key;
        keyOffset = 0;
        keyLength = key.capacity();
        return dispatch(opcode, kind, flags, 0, null, 0, 0);
    }

    /** Encodes and dispatches one map request for the key in {@link #key}, {@link #keyOffset}, {@link #keyLength}. */
    private boolean dispatch(
        final int opcode, final int kind, final long flags, final long argument, final DirectBuffer value,
        final int valueOffset, final int valueLength) {
        final long needed = MapRequestDescriptor.frameLength(opcode, keyLength, 0, valueLength);
        if (needed > frame.capacity() && needed <= maxFrameLength) {
            frame = new UnsafeBuffer(new byte[(int)Math.min(maxFrameLength, Math.max(needed, 2L * frame.capacity()))]);
        }
        long correlationId = RespCorrelation.of(sequence, kind, flags | (resp3 ? RespCorrelation.RESP3 : 0) |
            (replyOpen ? RespCorrelation.CONTINUED : 0));
        if (cluster && CommandTable.hasFlag(opcode, CommandTable.FLAG_KEYED)) {
            final int slot = KeySlot.slot(key, keyOffset, keyLength);
            correlationId |= (long)slot << RespCorrelation.SLOT_SHIFT;
        }
        request.wrap(frame, 0).request(opcode, correlationId, 0).argumentIfCarried(argument);
        final int length = request.carriedFields(key, keyOffset, keyLength, null, 0, 0, value, valueOffset,
            valueLength);
        if (length < 0) {
            // a length past the node's limits: the encoder latched it and wrote nothing beyond the header
            commands.errors().write(beginReply(), -length, null, 0, 0);
            endReply();
            return false;
        }
        flushRaw();
        sequence++;
        binary.dispatch(frame, 0, length);
        return true;
    }

    /**
     * Queues the two parameters the next {@link RespCorrelation#RANGE} part is rendered with.
     *
     * @param first the first.
     * @param second the second.
     */
    void sendParameters(final long first, final long second) {
        header.wrap(parameters, 0).header(Opcodes.RESPONSE_OK, 0, RespCorrelation.of(0, RespCorrelation.PARAMETERS, 0),
            2 * Long.BYTES);
        parameters.putLong(HEADER_LENGTH, first, BYTE_ORDER);
        parameters.putLong(HEADER_LENGTH + Long.BYTES, second, BYTE_ORDER);
        binary.deliverLocal(parameters, parameters.capacity());
    }

    /**
     * The node's executor count (SCAN walks them one after the other).
     *
     * @return executors.
     */
    int executorCount() {
        return services.executors().count();
    }

    /**
     * Whether the node is a cluster member (Redis Cluster rules: CROSSSLOT, MOVED).
     *
     * @return true in a cluster.
     */
    boolean cluster() {
        return cluster;
    }

    /**
     * Switches the replies of the commands that follow to RESP3 or back to RESP2.
     *
     * @param resp3 true for RESP3.
     */
    void resp3(final boolean resp3) {
        this.resp3 = resp3;
    }

    /**
     * Marks the parts sent from now on as leaving their reply open (true), until the last one (false): set before
     * the reply's first part is ended.
     *
     * @param open whether the reply goes on after the next parts.
     */
    void replyOpen(final boolean open) {
        replyOpen = open;
    }

    /**
     * The number the next reply part gets (counted from 1, not wrapping): a subscription's messages wait for the part
     * after its confirmation.
     *
     * @return the next part's number.
     */
    long nextPart() {
        return sequence;
    }

    /**
     * Queues the replies encoded so far on the connection now (an UNSUBSCRIBE confirmation, under its channel's lock),
     * leaving the connection open when that passes its spill limit: the caller drops it once the lock is released.
     *
     * @return false when the connection's spill limit refused them.
     */
    boolean queueRepliesNow() {
        if (rawParts == 0) {
            return true;
        }
        rawHeader();
        connection.ensureRing();
        final int result = connection.offer(raw, 0, rawEnd);
        rawParts = 0;
        rawEnd = HEADER_LENGTH;
        return result != Connection.OFFER_OVER_LIMIT;
    }

    /**
     * The connection's subscriptions, made on first use.
     *
     * @return them.
     */
    PubSub.Subscriber subscriber() {
        if (subscriber == null) {
            subscriber = new PubSub.Subscriber(connection);
        }
        return subscriber;
    }

    /**
     * Whether the connection has subscriptions.
     *
     * @return true when subscribed to a channel or pattern.
     */
    boolean subscribed() {
        return subscriber != null && subscriber.count() > 0;
    }

    /**
     * The buffers this connection publishes with, made on first use.
     *
     * @return them.
     */
    PubSub.Publisher publisher() {
        if (publisher == null) {
            publisher = new PubSub.Publisher();
        }
        return publisher;
    }

    /**
     * The cluster's peer links (PUBLISH reaches every member).
     *
     * @return them, or null on a single node.
     */
    PeerLinks peers() {
        return services.peers();
    }

    /**
     * The node's pub/sub hub.
     *
     * @return it.
     */
    PubSub pubSub() {
        return services.pubSub();
    }

    /**
     * Whether the replies are RESP3.
     *
     * @return true after HELLO 3.
     */
    boolean isResp3() {
        return resp3;
    }

    /**
     * The protocol version of the replies.
     *
     * @return 2 or 3.
     */
    int protocolVersion() {
        return resp3 ? 3 : 2;
    }

    /**
     * Closes the connection once the replies so far are written (QUIT).
     */
    void closeAfterReplies() {
        closeAfterReplies = true;
    }

    /**
     * The connection.
     *
     * @return it.
     */
    Connection connection() {
        return connection;
    }
}
