package io.loomcache.loadgen.driver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import io.loomcache.loadgen.wire.Outcome;
import io.loomcache.loadgen.wire.ResponseListener;
import io.loomcache.loadgen.wire.WireCodec;
import io.loomcache.protocol.ErrorCode;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One non-blocking connection of an {@link IoAgent}: its socket, direct read and write buffers, codec and in-flight
 * table. Requests are encoded straight into the write buffer and flushed with one write per batch; responses are
 * decoded in place from the read buffer and matched to their request, and the latency from the request's start to
 * the read that delivered the response is recorded. Owned by its agent's thread; allocates nothing per request.
 */
final class Connection implements ResponseListener {
    /** State: connected, handshake not sent or not answered. */
    static final int HANDSHAKING = 0;
    /** State: ready for requests. */
    static final int READY = 1;
    /** State: failed or closed; no more I/O. */
    static final int CLOSED = 2;
    /** Correlation id of the handshake, never produced by an {@link InFlightTable}. */
    static final long HANDSHAKE_CORRELATION_ID = 0;

    private final int index;
    private final SocketChannel channel;
    private final WireCodec codec;
    private final InFlightTable inFlight;
    private final ByteBuffer in;
    private final UnsafeBuffer inBuffer;
    private final ByteBuffer out;
    private final UnsafeBuffer outBuffer;
    private final boolean ordered;
    private final int maxRequestLength;
    private SelectionKey key;
    private AgentStats stats;
    private int state = HANDSHAKING;
    private long readNs;
    private boolean writeInterest;
    private String failure;
    private long openLoopSequence;
    private long nextIntendedNs;
    private boolean capped;

    Connection(final int index, final SocketChannel channel, final WireCodec codec, final int inFlightCapacity,
        final int readBufferLength, final int writeBufferLength) {
        this.index = index;
        this.channel = channel;
        this.codec = codec;
        this.inFlight = new InFlightTable(inFlightCapacity);
        this.in = ByteBuffer.allocateDirect(readBufferLength);
        this.inBuffer = new UnsafeBuffer(in);
        this.out = ByteBuffer.allocateDirect(writeBufferLength);
        this.outBuffer = new UnsafeBuffer(out);
        this.ordered = codec.ordered();
        this.maxRequestLength = codec.maxRequestLength();
    }

    /**
     * Registers the channel for reads with an agent's selector and binds the agent's statistics.
     *
     * @param selector the agent's selector.
     * @param agentStats the agent's statistics.
     * @throws IOException when the channel cannot be registered.
     */
    void register(final Selector selector, final AgentStats agentStats) throws IOException {
        this.key = channel.register(selector, SelectionKey.OP_READ, this);
        this.stats = agentStats;
    }

    /**
     * Writes the handshake into the write buffer, or becomes ready at once when the protocol has none.
     */
    void startHandshake() {
        final int length = codec.encodeHandshake(outBuffer, out.position(), HANDSHAKE_CORRELATION_ID);
        if (length == 0) {
            state = READY;
        } else {
            out.position(out.position() + length);
        }
    }

    /**
     * Tells whether one more request can be encoded now.
     *
     * @return true when ready, below the in-flight cap and with room in the write buffer.
     */
    boolean canSend() {
        return state == READY && !inFlight.isFull() && out.remaining() >= maxRequestLength;
    }

    /**
     * Encodes one request into the write buffer; call {@link #canSend()} first.
     *
     * @param keyIndex the key number.
     * @param get true for a read, false for a write.
     * @param startNs the time its latency is measured from.
     */
    void send(final long keyIndex, final boolean get, final long startNs) {
        final long correlationId = inFlight.acquire(startNs, get ? AgentStats.KIND_GET : AgentStats.KIND_SET);
        final int position = out.position();
        final int length = get ? codec.encodeGet(outBuffer, position, keyIndex, correlationId) :
            codec.encodeSet(outBuffer, position, keyIndex, correlationId);
        out.position(position + length);
        stats.recordSent();
    }

    /**
     * Writes as much of the write buffer as the socket takes, asking for OP_WRITE while bytes remain.
     */
    void flush() {
        if (state == CLOSED || out.position() == 0) {
            return;
        }
        try {
            out.flip();
            channel.write(out);
            out.compact();
        } catch (final IOException ex) {
            fail("write failed: " + ex.getMessage());
            return;
        }
        final boolean pending = out.position() > 0;
        if (pending != writeInterest) {
            writeInterest = pending;
            key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /**
     * Reads what the socket holds and handles every complete response.
     *
     * @return the bytes read, or -1 when the connection failed.
     */
    int read() {
        final int bytes;
        try {
            bytes = channel.read(in);
        } catch (final IOException ex) {
            fail("read failed: " + ex.getMessage());
            return -1;
        }
        if (bytes < 0) {
            fail("closed by the server");
            return -1;
        }
        readNs = System.nanoTime();
        final int filled = in.position();
        final int consumed = codec.onBytes(inBuffer, 0, filled, this);
        if (consumed < 0) {
            stats.recordError(Outcome.UNEXPECTED_RESPONSE, 1);
            fail("undecodable response: " + ErrorCode.name(-consumed));
            return -1;
        }
        in.limit(filled).position(consumed);
        in.compact();
        return bytes;
    }

    @Override
    public void onResponse(final long correlationId, final int outcome, final int errorCode) {
        if (state != READY) {
            onHandshakeResponse(correlationId, outcome, errorCode);
            return;
        }
        final long startNs = ordered ? inFlight.completeOldest() : inFlight.complete(correlationId);
        if (startNs == InFlightTable.NOT_IN_FLIGHT) {
            stats.recordError(Outcome.UNEXPECTED_RESPONSE, 1);
            return;
        }
        switch (outcome) {
            case Outcome.OK -> stats.recordOk(readNs - startNs, inFlight.lastKind(), false);
            case Outcome.MISS -> stats.recordOk(readNs - startNs, inFlight.lastKind(), true);
            case Outcome.SERVER_BUSY -> stats.recordServerBusy();
            default -> stats.recordError(errorCode, 1);
        }
    }

    private void onHandshakeResponse(final long correlationId, final int outcome, final int errorCode) {
        if (state == HANDSHAKING && correlationId == HANDSHAKE_CORRELATION_ID && outcome == Outcome.HANDSHAKE_OK) {
            state = READY;
        } else if (state == HANDSHAKING) {
            stats.recordError(errorCode == ErrorCode.NONE ? Outcome.UNEXPECTED_RESPONSE : errorCode, 1);
            fail("handshake refused: " + describe(outcome, errorCode));
        }
    }

    private static String describe(final int outcome, final int errorCode) {
        return outcome == Outcome.SERVER_BUSY ? "SERVER_BUSY" : ErrorKinds.name(ErrorKinds.indexOf(errorCode));
    }

    /**
     * Closes the connection after a failure; the requests in flight are counted as lost.
     *
     * @param reason one line for the report.
     */
    void fail(final String reason) {
        if (state == CLOSED) {
            return;
        }
        failure = reason;
        final int lost = inFlight.clear();
        if (lost > 0) {
            stats.recordError(Outcome.CONNECTION_LOST, lost);
        }
        stats.recordConnectionLost();
        close();
    }

    /**
     * Closes the socket quietly; nothing is counted.
     */
    void close() {
        state = CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Closing a socket we are done with: nothing to do about a failure here.
        }
    }

    int index() {
        return index;
    }

    int state() {
        return state;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    String failure() {
        return failure;
    }

    WireCodec codec() {
        return codec;
    }

    long openLoopSequence() {
        return openLoopSequence;
    }

    long nextIntendedNs() {
        return nextIntendedNs;
    }

    void schedule(final long sequence, final long intendedNs) {
        this.openLoopSequence = sequence;
        this.nextIntendedNs = intendedNs;
    }

    boolean capped() {
        return capped;
    }

    void capped(final boolean value) {
        this.capped = value;
    }
}
