package io.loomcache.server.resp;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.protocol.ScanDescriptor;
import io.loomcache.protocol.resp.RespNumbers;
import io.loomcache.protocol.resp.RespReplyEncoder;
import io.loomcache.server.cluster.ClusterMembers;

/**
 * The writer side of a Redis connection: turns the frames that reach the connection's outbound queue (executors'
 * answers to the map requests a {@link RespAdapter} sent, and reply parts the adapter encoded itself) into Redis
 * replies, in the order the commands came. Each frame's correlation id ({@link RespCorrelation}) says which part of
 * the reply stream it is and how to render it; a part that arrives before the parts ahead of it (executors answer in
 * any order) is kept in a stash until they have come. Replies are rendered into a pending buffer the transport's
 * writer copies from ({@link #copyPending}).
 * <p>
 * Pub/sub messages ({@link RespCorrelation#PUSH}) take no part number: each is written between two replies once the
 * confirmation of its subscription has been (see {@link PubSub}).
 * <p>
 * Used by one thread at a time (the connection's writer, or its reader flushing inline, never both at once); the
 * buffers grow to the largest burst and are kept, so a connection in steady state allocates nothing. The stash is
 * bounded by the connection's spill limit: past it the connection is dropped as a slow consumer.
 */
public final class RespReplies {
    private static final byte[] OK = RespErrors.ascii("OK");
    private static final byte[] STRING = RespErrors.ascii("string");
    private static final byte[] NONE = RespErrors.ascii("none");
    private static final int INITIAL_STASH_SLOTS = 16;
    private static final byte[] MOVED = RespErrors.ascii("MOVED ");
    private static final byte[] NO_SUCH_KEY = RespErrors.ascii("ERR no such key");
    private static final byte[] KEYS_TOO_MANY = RespErrors.ascii("ERR KEYS matched more keys than one answer of " +
        "an executor holds (the value limit): use SCAN");
    private static final byte[] CLUSTER_DOWN = RespErrors.ascii("CLUSTERDOWN Hash slot not served (its group " +
        "has no leader right now), retry");

    private final ResponseDecoder response;
    private final RespReplyEncoder encoder = new RespReplyEncoder();
    private final RespErrors errors = new RespErrors();
    private final ExpandableArrayBuffer pending = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer arena = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer firstError = new ExpandableArrayBuffer(64);
    private final long stashLimitBytes;
    private final ClusterMembers members;
    private volatile int pendingBytes;
    private int pendingStart;
    private int pendingEnd;
    private long next = 1;
    /** The part after the last one written, counted from 1 without wrapping (pushes wait for theirs). */
    private long rendered = 1;
    /** Whether the last part written left its reply open (no push may follow it yet). */
    private boolean replyOpen;
    /** Whether the last part written was RESP3 (HELLO switches): a push after it is {@code >}, else {@code *}. */
    private boolean resp3;
    /** Pub/sub messages held back, each as its length and its frame, first in first out. */
    private final ExpandableArrayBuffer held = new ExpandableArrayBuffer(0);
    private int heldStart;
    private int heldEnd;
    private long[] stashSequence = new long[INITIAL_STASH_SLOTS];
    private int[] stashOffset = new int[INITIAL_STASH_SLOTS];
    private int[] stashLength = new int[INITIAL_STASH_SLOTS];
    private int stashed;
    private int arenaEnd;
    private long[] parameters = new long[8];
    private int parametersHead;
    private int parametersTail;
    private long count;
    private int firstErrorLength;
    private long currentId;
    private final int executorCount;
    private final ExpandableArrayBuffer gathered = new ExpandableArrayBuffer(0);
    private int gatheredKeys;
    private int gatheredLength;
    private boolean keysTruncated;
    private int candidates;
    private long random = System.nanoTime() | 1;

    /**
     * Creates the renderer of one connection.
     *
     * @param limits the node's limits (the longest value an answer carries).
     * @param stashLimitBytes the most bytes of early parts kept, the connection's spill limit.
     * @param members the cluster (whose Redis ports MOVED replies name), or null on a single node.
     * @param executorCount the node's executors (a SCAN cursor passes them one after the other).
     */
    public RespReplies(
        final ProtocolLimits limits,
        final long stashLimitBytes,
        final ClusterMembers members,
        final int executorCount) {
        this.response = new ResponseDecoder(limits);
        this.executorCount = executorCount;
        this.members = members;
        this.stashLimitBytes = stashLimitBytes;
        for (int i = 0; i < INITIAL_STASH_SLOTS; i++) {
            stashSequence[i] = -1;
        }
    }

    /**
     * Takes one outbound frame: renders it (and any stashed parts it was the last missing one for) when its turn has
     * come, stashes it otherwise.
     *
     * @param buffer the frame's buffer.
     * @param offset of the frame.
     * @param length of the frame.
     * @return false when the stash passed its limit (drop the connection).
     */
    public boolean onFrame(final DirectBuffer buffer, final int offset, final int length) {
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
        final int kind = RespCorrelation.kind(correlationId);
        if (kind == RespCorrelation.PARAMETERS) {
            pushParameters(buffer.getLong(offset + HEADER_LENGTH, BYTE_ORDER),
                buffer.getLong(offset + HEADER_LENGTH + Long.BYTES, BYTE_ORDER));
            return true;
        }
        if (kind == RespCorrelation.PUSH) {
            return push(buffer, offset, length);
        }
        final long sequence = RespCorrelation.sequence(correlationId);
        if (sequence != next) {
            return stash(sequence, buffer, offset, length);
        }
        render(correlationId, buffer, offset, length);
        if (heldEnd > 0) {
            releasePushes();
        }
        while (stashed > 0) {
            final int slot = (int)(next & (stashSequence.length - 1));
            if (stashSequence[slot] != next) {
                break;
            }
            stashSequence[slot] = -1;
            stashed--;
            final long stashedId = arena.getLong(stashOffset[slot] + CORRELATION_ID_OFFSET, BYTE_ORDER);
            render(stashedId, arena, stashOffset[slot], stashLength[slot]);
            // before the next part: that may be the UNSUBSCRIBE confirmation a held message must precede
            if (heldEnd > 0) {
                releasePushes();
            }
        }
        if (stashed == 0) {
            arenaEnd = 0;
        }
        pendingBytes = pendingEnd - pendingStart;
        return true;
    }

    /**
     * A pub/sub message: written at once when its subscription's confirmation has been written and no reply is
     * open, else held (in order) until then; held messages count against the same limit as stashed parts.
     */
    private boolean push(final DirectBuffer buffer, final int offset, final int length) {
        if (heldEnd == 0 && mayPush(buffer.getLong(offset + HEADER_LENGTH, BYTE_ORDER))) {
            writePush(buffer, offset, length);
            pendingBytes = pendingEnd - pendingStart;
            return true;
        }
        if (arenaEnd + (long)heldEnd + length > stashLimitBytes) {
            return false;
        }
        held.putInt(heldEnd, length);
        held.putBytes(heldEnd + Integer.BYTES, buffer, offset, length);
        heldEnd += Integer.BYTES + length;
        return true;
    }

    private void releasePushes() {
        while (heldStart < heldEnd) {
            final int length = held.getInt(heldStart);
            final int frame = heldStart + Integer.BYTES;
            if (!mayPush(held.getLong(frame + HEADER_LENGTH, BYTE_ORDER))) {
                return;
            }
            writePush(held, frame, length);
            heldStart = frame + length;
        }
        heldStart = 0;
        heldEnd = 0;
    }

    private boolean mayPush(final long after) {
        return !replyOpen && rendered >= after;
    }

    private void writePush(final DirectBuffer buffer, final int offset, final int length) {
        final int body = offset + HEADER_LENGTH + Long.BYTES;
        final int start = pendingEnd;
        encoder.wrap(pending, start).raw(buffer, body, offset + length - body);
        pendingEnd = encoder.position();
        pending.putByte(start, resp3 ? (byte)'>' : (byte)'*');
    }

    /**
     * Rendered bytes not yet copied out; any thread may read it (a hint for others, exact for the owner).
     *
     * @return bytes.
     */
    public int pendingBytes() {
        return pendingBytes;
    }

    /**
     * Copies rendered bytes to the transport's buffer.
     *
     * @param out the write buffer.
     * @param offset where to start.
     * @param capacity the end of usable space.
     * @return the new end of data in {@code out}.
     */
    public int copyPending(final MutableDirectBuffer out, final int offset, final int capacity) {
        final int length = Math.min(pendingEnd - pendingStart, capacity - offset);
        if (length <= 0) {
            return offset;
        }
        out.putBytes(offset, pending, pendingStart, length);
        pendingStart += length;
        if (pendingStart == pendingEnd) {
            pendingStart = 0;
            pendingEnd = 0;
        }
        pendingBytes = pendingEnd - pendingStart;
        return offset + length;
    }

    private boolean stash(final long sequence, final DirectBuffer buffer, final int offset, final int length) {
        if (arenaEnd + (long)heldEnd + length > stashLimitBytes) {
            return false;
        }
        final long distance = (sequence - next) & RespCorrelation.SEQUENCE_MASK;
        while (distance >= stashSequence.length) {
            growStash();
        }
        final int slot = (int)(sequence & (stashSequence.length - 1));
        arena.putBytes(arenaEnd, buffer, offset, length);
        stashSequence[slot] = sequence;
        stashOffset[slot] = arenaEnd;
        stashLength[slot] = length;
        arenaEnd += length;
        stashed++;
        return true;
    }

    private void growStash() {
        final int grown = stashSequence.length * 2;
        final long[] sequences = new long[grown];
        final int[] offsets = new int[grown];
        final int[] lengths = new int[grown];
        java.util.Arrays.fill(sequences, -1);
        for (int i = 0; i < stashSequence.length; i++) {
            if (stashSequence[i] >= 0) {
                final int slot = (int)(stashSequence[i] & (grown - 1));
                sequences[slot] = stashSequence[i];
                offsets[slot] = stashOffset[i];
                lengths[slot] = stashLength[i];
            }
        }
        stashSequence = sequences;
        stashOffset = offsets;
        stashLength = lengths;
    }

    private void render(final long correlationId, final DirectBuffer buffer, final int offset, final int length) {
        currentId = correlationId;
        final int kind = RespCorrelation.kind(correlationId);
        final int parts = kind == RespCorrelation.RAW ? RespCorrelation.parts(correlationId) : 1;
        next = (next + parts) & RespCorrelation.SEQUENCE_MASK;
        rendered += parts;
        replyOpen = (correlationId & RespCorrelation.CONTINUED) != 0;
        resp3 = (correlationId & RespCorrelation.RESP3) != 0;
        encoder.wrap(pending, pendingEnd).resp3(resp3);
        if (kind == RespCorrelation.RAW) {
            encoder.raw(buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
        } else {
            response.wrap(buffer, offset, length);
            if (!response.isValid()) {
                errors.write(encoder, ErrorCode.INTERNAL_ERROR, null, 0, 0);
            } else {
                renderAnswer(kind, correlationId);
            }
        }
        pendingEnd = encoder.position();
    }

    private void renderAnswer(final int kind, final long correlationId) {
        final int opcode = response.opcode();
        final boolean error = opcode == Opcodes.RESPONSE_ERROR || opcode == Opcodes.RESPONSE_SERVER_BUSY ||
            opcode == Opcodes.RESPONSE_REDIRECT;
        if (kind == RespCorrelation.COUNT || kind == RespCorrelation.ALL_OK) {
            aggregate(kind, correlationId, error);
            return;
        }
        if (kind == RespCorrelation.KEYS) {
            keys(correlationId, error);
            return;
        }
        if (kind == RespCorrelation.RANDOM) {
            randomKey(correlationId, error);
            return;
        }
        if (kind == RespCorrelation.SCAN && !error) {
            scan(RespCorrelation.slot(correlationId));
            return;
        }
        if (kind == RespCorrelation.RANGE) {
            final long start = parameters[parametersHead];
            final long end = parameters[parametersHead + 1];
            parametersHead += 2;
            if (parametersHead == parametersTail) {
                parametersHead = 0;
                parametersTail = 0;
            }
            if (!error) {
                range(start, end);
                return;
            }
        }
        if (error) {
            writeError(opcode);
            return;
        }
        if ((kind == RespCorrelation.RENAME || kind == RespCorrelation.RENAMENX) &&
            opcode == Opcodes.RESPONSE_NOT_FOUND) {
            encoder.error(NO_SUCH_KEY);
            return;
        }
        switch (kind) {
            case RespCorrelation.BULK -> {
                if (opcode == Opcodes.RESPONSE_VALUE) {
                    encoder.bulk(response.buffer(), response.valueOffset(), response.valueLength());
                } else {
                    encoder.nullBulk();
                }
            }
            case RespCorrelation.OK, RespCorrelation.ANY_OK, RespCorrelation.RENAME -> encoder.simple(OK);
            case RespCorrelation.OK_OR_NULL -> {
                if (response.booleanResult()) {
                    encoder.simple(OK);
                } else {
                    encoder.nullBulk();
                }
            }
            case RespCorrelation.BOOLEAN_INTEGER, RespCorrelation.RENAMENX ->
                encoder.integer(response.booleanResult() ? 1 : 0);
            case RespCorrelation.INTEGER -> encoder.integer(response.longResult());
            case RespCorrelation.TTL_SECONDS, RespCorrelation.TTL_MILLIS -> ttl(kind, opcode);
            case RespCorrelation.LENGTH ->
                encoder.integer(opcode == Opcodes.RESPONSE_VALUE ? response.valueLength() : 0);
            case RespCorrelation.TYPE -> encoder.simple(response.booleanResult() ? STRING : NONE);
            default -> errors.write(encoder, ErrorCode.INTERNAL_ERROR, null, 0, 0);
        }
    }

    private void ttl(final int kind, final int opcode) {
        if (opcode == Opcodes.RESPONSE_NOT_FOUND) {
            encoder.integer(-2);
            return;
        }
        final long ttlMs = response.longResult();
        if (ttlMs == 0) {
            encoder.integer(-1);
        } else {
            // Redis's TTL rounds the remaining milliseconds to the nearest second
            encoder.integer(kind == RespCorrelation.TTL_MILLIS ? ttlMs : (ttlMs + 500) / 1000);
        }
    }

    /** GETRANGE: Redis's index rules, negative counting from the end, an empty range as "". */
    private void range(final long startIndex, final long endIndex) {
        final int valueLength = response.opcode() == Opcodes.RESPONSE_VALUE ? response.valueLength() : 0;
        long start = startIndex;
        long end = endIndex;
        if (start < 0 && end < 0 && start > end) {
            encoder.bulkHeader(0).crlf();
            return;
        }
        if (start < 0) {
            start = Math.max(0, valueLength + start);
        }
        if (end < 0) {
            end = Math.max(0, valueLength + end);
        }
        end = Math.min(end, valueLength - 1L);
        if (valueLength == 0 || start > end) {
            encoder.bulkHeader(0).crlf();
            return;
        }
        encoder.bulk(response.buffer(), response.valueOffset() + (int)start, (int)(end - start + 1));
    }

    private void aggregate(final int kind, final long correlationId, final boolean error) {
        if ((correlationId & RespCorrelation.FIRST) != 0) {
            count = 0;
            firstErrorLength = 0;
        }
        if (error) {
            rememberFirstError();
        } else if (kind == RespCorrelation.COUNT && response.booleanResult()) {
            count++;
        }
        if ((correlationId & RespCorrelation.LAST) != 0) {
            if (firstErrorLength > 0) {
                encoder.raw(firstError, 0, firstErrorLength);
            } else if (kind == RespCorrelation.COUNT) {
                encoder.integer(count);
            } else {
                encoder.simple(OK);
            }
        }
    }

    /** A MAP_SCAN answer as SCAN's reply: the client's next cursor, then the keys. */
    private void scan(final int executor) {
        final DirectBuffer value = response.buffer();
        final int start = response.valueOffset();
        final int end = start + response.valueLength();
        final int next = value.getInt(start + ScanDescriptor.NEXT_CURSOR_OFFSET);
        final long cursor;
        if (next != ScanDescriptor.DONE) {
            cursor = ((long)executor << Integer.SIZE) | (next & 0xFFFF_FFFFL);
        } else {
            cursor = executor + 1 < executorCount ? (long)(executor + 1) << Integer.SIZE : 0;
        }
        encoder.array(2).bulkHeader(RespNumbers.digitsUnsigned(cursor)).unsignedNumber(cursor).crlf();
        encoder.array(countKeys(value, start + ScanDescriptor.KEYS_OFFSET, end));
        for (int position = start + ScanDescriptor.KEYS_OFFSET; position < end; ) {
            final int length = value.getInt(position);
            encoder.bulk(value, position + Integer.BYTES, length);
            position += Integer.BYTES + length;
        }
    }

    /** KEYS: each executor's keys gathered; one array at the last part, or the first error. */
    private void keys(final long correlationId, final boolean error) {
        if ((correlationId & RespCorrelation.FIRST) != 0) {
            gatheredKeys = 0;
            gatheredLength = 0;
            firstErrorLength = 0;
            keysTruncated = false;
        }
        if (error) {
            rememberFirstError();
        } else {
            final DirectBuffer value = response.buffer();
            final int start = response.valueOffset();
            final int end = start + response.valueLength();
            keysTruncated |= value.getInt(start + ScanDescriptor.NEXT_CURSOR_OFFSET) != ScanDescriptor.DONE;
            gatheredKeys += countKeys(value, start + ScanDescriptor.KEYS_OFFSET, end);
            final int keysLength = end - start - ScanDescriptor.KEYS_OFFSET;
            gathered.putBytes(gatheredLength, value, start + ScanDescriptor.KEYS_OFFSET, keysLength);
            gatheredLength += keysLength;
        }
        if ((correlationId & RespCorrelation.LAST) == 0) {
            return;
        }
        if (firstErrorLength > 0) {
            encoder.raw(firstError, 0, firstErrorLength);
        } else if (keysTruncated) {
            encoder.error(KEYS_TOO_MANY);
        } else {
            encoder.array(gatheredKeys);
            for (int position = 0; position < gatheredLength; ) {
                final int length = gathered.getInt(position);
                encoder.bulk(gathered, position + Integer.BYTES, length);
                position += Integer.BYTES + length;
            }
        }
        gatheredLength = 0;
    }

    /** Keeps the error of a part of a multi-part reply when it is the first one (rendered at the last part). */
    private void rememberFirstError() {
        if (firstErrorLength == 0) {
            final int start = encoder.position();
            writeError(response.opcode());
            firstErrorLength = encoder.position() - start;
            firstError.putBytes(0, pending, start, firstErrorLength);
            encoder.wrap(pending, start);
        }
    }

    /**
     * RANDOMKEY: each executor's random key is a candidate; one of them is kept with equal chance (reservoir
     * sampling), answered at the last part, null when no executor had a key.
     */
    private void randomKey(final long correlationId, final boolean error) {
        if ((correlationId & RespCorrelation.FIRST) != 0) {
            candidates = 0;
            gatheredLength = 0;
            firstErrorLength = 0;
        }
        if (error) {
            rememberFirstError();
        } else if (response.opcode() == Opcodes.RESPONSE_VALUE) {
            candidates++;
            random ^= random << 13;
            random ^= random >>> 7;
            random ^= random << 17;
            if (Long.remainderUnsigned(random, candidates) == 0) {
                gathered.putBytes(0, response.buffer(), response.valueOffset(), response.valueLength());
                gatheredLength = response.valueLength();
            }
        }
        if ((correlationId & RespCorrelation.LAST) == 0) {
            return;
        }
        if (firstErrorLength > 0) {
            encoder.raw(firstError, 0, firstErrorLength);
        } else if (candidates == 0) {
            encoder.nullBulk();
        } else {
            encoder.bulk(gathered, 0, gatheredLength);
        }
        gatheredLength = 0;
    }

    private static int countKeys(final DirectBuffer value, final int from, final int end) {
        int count = 0;
        for (int position = from; position < end; count++) {
            position += Integer.BYTES + value.getInt(position);
        }
        return count;
    }

    private void writeError(final int opcode) {
        if (opcode == Opcodes.RESPONSE_SERVER_BUSY) {
            errors.write(encoder, ErrorCode.SERVER_BUSY, null, 0, 0);
        } else if (opcode == Opcodes.RESPONSE_REDIRECT) {
            redirect();
        } else {
            errors.write(encoder, response.errorCode(), response.buffer(), response.errorMessageOffset(),
                response.errorMessageLength());
        }
    }

    /**
     * A request for a partition another member leads: Redis Cluster's {@code -MOVED <slot> <host>:<port>} naming the
     * leader's Redis port, or {@code -CLUSTERDOWN} while no leader is known (the client retries).
     */
    private void redirect() {
        final int leaderId = response.leaderNodeId();
        final ClusterMembers.Member leader = members == null || leaderId < 0 ? null : members.byId(leaderId);
        final int port = leader == null ? ClusterMembers.NO_RESP_PORT : members.respPort(leaderId);
        if (leader == null || port <= 0) {
            encoder.error(CLUSTER_DOWN);
            return;
        }
        encoder.errorStart(MOVED).number(RespCorrelation.slot(currentId)).character(' ')
            .text(leader.host()).character(':').number(port).crlf();
    }

    private void pushParameters(final long first, final long second) {
        if (parametersTail + 2 > parameters.length) {
            if (parametersHead > 0) {
                System.arraycopy(parameters, parametersHead, parameters, 0, parametersTail - parametersHead);
                parametersTail -= parametersHead;
                parametersHead = 0;
            }
            if (parametersTail + 2 > parameters.length) {
                parameters = java.util.Arrays.copyOf(parameters, parameters.length * 2);
            }
        }
        parameters[parametersTail++] = first;
        parameters[parametersTail++] = second;
    }
}
