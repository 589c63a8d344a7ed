package io.loomcache.loadgen.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.loomcache.loadgen.wire.Outcome;
import io.loomcache.loadgen.wire.WireCodec;
import io.loomcache.protocol.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * One connection of an {@link IoAgent}: what the agent schedules (pipeline, open-loop sequence) and its in-flight
 * table, over one {@link Link} to the server, or, for a cluster ({@code --nodes}), one link to every node. Requests
 * are encoded straight into a link's write buffer and flushed with one write per batch; responses are decoded in
 * place and matched to their request, and the latency from the request's start to the read that delivered the
 * response is recorded. A routed connection sends each key to the leader of its partition as far as the agent's
 * {@link ClusterRoute} knows it (else to the first node it reaches), and follows the server's rules as the Java
 * client does: a redirect naming a leader sends the request there and caches the leader (at most
 * {@link #MAX_REDIRECTS} times, then it is an error); one naming no leader (an election), or a node whose link is
 * down, sends it again to the next node after a backoff of 10 ms doubling to 200 ms, until the phase ends; a node
 * that cannot be reached is passed over; a request written to a link that dies is lost, never sent again; an error
 * answer (OUTCOME_UNKNOWN included) is counted, never retried. A redirected request keeps its start time,
 * correlation id and in-flight slot. Owned by its agent's thread; allocates nothing per request, redirects included.
 */
final class Connection {
    /** State: connected, handshake not sent or not answered. */
    static final int HANDSHAKING = 0;
    /** State: ready for requests. */
    static final int READY = 1;
    /** State: failed or closed; no more I/O. */
    static final int CLOSED = 2;
    /** Correlation id of the handshake, never produced by an {@link InFlightTable}. */
    static final long HANDSHAKE_CORRELATION_ID = 0;
    /** Most redirects naming a leader one request follows; one more counts it as a REDIRECT error. */
    static final int MAX_REDIRECTS = 5;
    /** First wait before asking again when a node knows no leader. */
    static final long LEADER_BACKOFF_INITIAL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Longest such wait; the waits double up to it. */
    static final long LEADER_BACKOFF_MAX_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Least time between a cluster link's close and an attempt to open it again (when a redirect names its node). */
    static final long RECONNECT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private static final int MAX_BACKOFF_SHIFT = 16;

    private final int index;
    private final Link[] links;
    private final InFlightTable inFlight;
    private final boolean routed;
    private final long[] deferredIds;
    private final long[] deferredDueNs;
    private final int[] deferredNodes;
    private final Supplier<WireCodec> codecs;
    private Selector selector;
    private ClusterRoute route;
    private AgentStats stats;
    private boolean ordered;
    private int readyLinks;
    private int handshakingLinks;
    private int deferredCount;
    private long readNs;
    private String failure;
    private String routingError;
    private long openLoopSequence;
    private long nextIntendedNs;
    private boolean capped;

    /**
     * Creates a connection without links; add one per node with {@link #addLink} or {@link #addUnreachable}.
     *
     * @param index the connection's number in the run.
     * @param nodes 1 for one server; the number of nodes of a cluster, whose keys are routed to their leader.
     * @param routed whether keys are routed by partition (a cluster given by {@code --nodes}).
     * @param inFlightCapacity the most requests in flight at once.
     * @param codecs makes the codec of a link opened again; null when links are never opened again (one server).
     */
    Connection(final int index, final int nodes, final boolean routed, final int inFlightCapacity,
        final Supplier<WireCodec> codecs) {
        this.index = index;
        this.links = new Link[nodes];
        this.routed = routed;
        this.codecs = codecs;
        this.inFlight = new InFlightTable(inFlightCapacity, routed);
        this.deferredIds = routed ? new long[inFlightCapacity] : null;
        this.deferredDueNs = routed ? new long[inFlightCapacity] : null;
        this.deferredNodes = routed ? new int[inFlightCapacity] : null;
    }

    /**
     * Adds the link to a node over a connected, non-blocking channel.
     *
     * @param node the node index.
     * @param address the node's address.
     * @param channel the channel.
     * @param codec the link's codec.
     * @param readBufferLength the read buffer length.
     * @param writeBufferLength the write buffer length.
     */
    void addLink(final int node, final InetSocketAddress address, final SocketChannel channel, final WireCodec codec,
        final int readBufferLength, final int writeBufferLength) {
        links[node] = new Link(this, node, address, channel, codec, readBufferLength, writeBufferLength);
        ordered = codec.ordered();
        handshakingLinks++;
    }

    /**
     * Adds a node that could not be connected: its link is closed from the start (opened again when a redirect names
     * the node), and keys go to other nodes.
     *
     * @param node the node index.
     * @param address the node's address.
     * @param codec a codec.
     * @param readBufferLength the read buffer length.
     * @param writeBufferLength the write buffer length.
     * @param reason why, for the report.
     */
    void addUnreachable(final int node, final InetSocketAddress address, final WireCodec codec,
        final int readBufferLength, final int writeBufferLength, final String reason) {
        links[node] = new Link(this, node, address, null, codec, readBufferLength, writeBufferLength);
        links[node].close(reason);
    }

    /**
     * Registers every link for reads with an agent's selector and binds the agent's statistics and route.
     *
     * @param agentSelector the agent's selector.
     * @param agentStats the agent's statistics.
     * @param agentRoute the agent's view of the cluster, or null for one server.
     * @throws IOException when a channel cannot be registered.
     */
    void register(final Selector agentSelector, final AgentStats agentStats, final ClusterRoute agentRoute)
        throws IOException {
        this.selector = agentSelector;
        this.stats = agentStats;
        this.route = routed ? agentRoute : null;
        for (final Link link : links) {
            if (link.state() != CLOSED) {
                link.register(agentSelector);
            }
        }
    }

    /**
     * Writes the handshake into every link's write buffer, or makes them ready at once when the protocol has none.
     */
    void startHandshake() {
        for (final Link link : links) {
            if (link.state() == HANDSHAKING && link.startHandshake()) {
                handshakingLinks--;
                readyLinks++;
            }
        }
    }

    /**
     * Tells whether one more request can be encoded now.
     *
     * @return true when ready, below the in-flight cap and with room in the write buffer of every ready link.
     */
    boolean canSend() {
        if (readyLinks == 0 || inFlight.isFull()) {
            return false;
        }
        for (final Link link : links) {
            if (link.state() == READY && !link.canWrite()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Encodes one request into the write buffer of its link; call {@link #canSend()} first.
     *
     * @param keyIndex the key number.
     * @param op the {@link io.loomcache.loadgen.workload.OpMix} operation.
     * @param valueLength the length of its value, for an operation that writes one.
     * @param startNs the time its latency is measured from.
     */
    void send(final long keyIndex, final int op, final int valueLength, final long startNs) {
        final long correlationId = inFlight.acquire(startNs, op);
        if (route == null) {
            links[0].write(keyIndex, op, valueLength, correlationId);
        } else {
            final int node = readyNode(route.leader(route.partitionOf(keyIndex)));
            inFlight.route(correlationId, keyIndex, valueLength, node);
            links[node].write(keyIndex, op, valueLength, correlationId);
        }
        stats.recordSent();
    }

    /**
     * The node to write to: the given one when its link is ready, else the home node, the first ready one in
     * {@code --nodes} order (as the Java client sends to the first seed it reached), so that a partition the home
     * node leads costs no redirect at all.
     */
    private int readyNode(final int node) {
        if (node >= 0 && links[node].state() == READY) {
            return node;
        }
        for (int candidate = 0; candidate < links.length; candidate++) {
            if (links[candidate].state() == READY) {
                return candidate;
            }
        }
        return -1;
    }

    /**
     * Writes as much of every link's write buffer as its socket takes.
     */
    void flush() {
        for (final Link link : links) {
            link.flush();
        }
    }

    void readAt(final long nowNs) {
        readNs = nowNs;
    }

    /**
     * Handles one response a link decoded.
     *
     * @param link the link it came on.
     * @param correlationId the id it echoes.
     * @param outcome the {@link Outcome}.
     * @param errorCode the error code of an error.
     */
    void onResponse(final Link link, final long correlationId, final int outcome, final int errorCode) {
        if (link.state() != READY) {
            onHandshakeResponse(link, correlationId, outcome, errorCode);
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

    private void onHandshakeResponse(final Link link, final long correlationId, final int outcome,
        final int errorCode) {
        if (link.state() == HANDSHAKING && correlationId == HANDSHAKE_CORRELATION_ID &&
            outcome == Outcome.HANDSHAKE_OK) {
            link.ready();
            handshakingLinks--;
            readyLinks++;
        } else if (link.state() == HANDSHAKING) {
            stats.recordError(errorCode == ErrorCode.NONE ? Outcome.UNEXPECTED_RESPONSE : errorCode, 1);
            linkFailed(link, "handshake refused: " + describe(outcome, errorCode));
        }
    }

    private static String describe(final int outcome, final int errorCode) {
        return outcome == Outcome.SERVER_BUSY ? "SERVER_BUSY" : ErrorKinds.name(ErrorKinds.indexOf(errorCode));
    }

    /**
     * Handles a RESPONSE_REDIRECT a link decoded: an error for a connection that does not route, else followed.
     *
     * @param link the link it came on.
     * @param correlationId the id it echoes.
     * @param partitionId the key's partition.
     * @param leaderNodeId the leader's node id, -1 when none is known.
     * @param address the buffer holding the leader's "host:port".
     * @param addressOffset the index of its first byte.
     * @param addressLength its length, 0 when no leader is known.
     */
    void onRedirect(final Link link, final long correlationId, final int partitionId, final int leaderNodeId,
        final DirectBuffer address, final int addressOffset, final int addressLength) {
        if (route == null || link.state() != READY) {
            onResponse(link, correlationId, Outcome.ERROR, Outcome.REDIRECT);
            return;
        }
        final int slot = inFlight.slotOf(correlationId);
        if (slot == InFlightTable.NO_SLOT) {
            stats.recordError(Outcome.UNEXPECTED_RESPONSE, 1);
            return;
        }
        if (leaderNodeId < 0 || addressLength == 0) {
            waitForLeader(link, slot, correlationId, partitionId);
            return;
        }
        final int node = route.nodeOf(address, addressOffset, addressLength);
        if (node >= 0 && links[node].state() != READY) {
            reconnect(links[node]);
            waitForLeader(link, slot, correlationId, partitionId);
        } else if (node < 0) {
            giveUp(slot, "redirected to " + address.getStringWithoutLengthAscii(addressOffset, addressLength) +
                ", which is not one of --nodes");
        } else if (inFlight.redirected(slot) > MAX_REDIRECTS) {
            giveUp(slot, "redirected more than " + MAX_REDIRECTS + " times without reaching the leader of " +
                "partition " + partitionId + ", last from " + route.nodeName(link.node()) + " to " +
                route.nodeName(node));
        } else {
            route.leader(partitionId, node);
            resend(slot, correlationId, node, readNs);
        }
    }

    /**
     * Sends a request again to the next node after a backoff: no leader is known, or the one named cannot be reached
     * (it may just have died, before its followers noticed).
     */
    private void waitForLeader(final Link link, final int slot, final long correlationId, final int partitionId) {
        route.forget(partitionId, link.node());
        final int waits = inFlight.leaderUnknown(slot);
        final long backoffNs = Math.min(LEADER_BACKOFF_MAX_NS,
            LEADER_BACKOFF_INITIAL_NS << Math.min(waits - 1, MAX_BACKOFF_SHIFT));
        defer(slot, correlationId, readNs + backoffNs, (link.node() + 1) % links.length);
    }

    /** Opens a closed link again (without blocking) if it closed long enough ago. */
    private void reconnect(final Link link) {
        if (codecs != null && link.state() == CLOSED && readNs - link.closedNs() >= RECONNECT_INTERVAL_NS &&
            failure == null) {
            handshakingLinks++;
            if (!link.reconnect(selector, codecs.get())) {
                handshakingLinks--;
            }
        }
    }

    private void giveUp(final int slot, final String reason) {
        inFlight.completeSlot(slot);
        stats.recordError(Outcome.REDIRECT, 1);
        if (routingError == null) {
            routingError = reason;
        }
    }

    /** Writes a routed request again, to the node or the next ready one, or defers it while that link is full. */
    private void resend(final int slot, final long correlationId, final int node, final long nowNs) {
        final int target = readyNode(node);
        if (target < 0) {
            inFlight.completeSlot(slot);
            stats.recordError(Outcome.CONNECTION_LOST, 1);
            return;
        }
        final Link link = links[target];
        if (!link.canWrite()) {
            defer(slot, correlationId, nowNs + 1, target);
            return;
        }
        inFlight.link(slot, target);
        link.write(inFlight.key(slot), inFlight.kind(slot), inFlight.valueLength(slot), correlationId);
    }

    private void defer(final int slot, final long correlationId, final long dueNs, final int node) {
        inFlight.link(slot, InFlightTable.NO_LINK);
        deferredIds[deferredCount] = correlationId;
        deferredDueNs[deferredCount] = dueNs;
        deferredNodes[deferredCount] = node;
        deferredCount++;
    }

    /**
     * Writes the deferred requests that are due (after a leader backoff, or once their link had room).
     *
     * @param nowNs the current time.
     */
    void sendDeferred(final long nowNs) {
        int i = 0;
        while (i < deferredCount) {
            if (deferredDueNs[i] - nowNs > 0) {
                i++;
                continue;
            }
            final long correlationId = deferredIds[i];
            final int node = deferredNodes[i];
            deferredCount--;
            deferredIds[i] = deferredIds[deferredCount];
            deferredDueNs[i] = deferredDueNs[deferredCount];
            deferredNodes[i] = deferredNodes[deferredCount];
            final int slot = inFlight.slotOf(correlationId);
            if (slot != InFlightTable.NO_SLOT) {
                resend(slot, correlationId, node, nowNs);
            }
        }
    }

    /**
     * The earliest time a deferred request is due.
     *
     * @return ns, or Long.MAX_VALUE when none is deferred.
     */
    long nextDeferredDueNs() {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < deferredCount; i++) {
            earliest = Math.min(earliest, deferredDueNs[i]);
        }
        return earliest;
    }

    /**
     * Closes a link after a failure: the requests written to it are counted as lost, its partitions forgotten; the
     * connection fails when no link is left.
     *
     * @param link the link.
     * @param reason one line for the report.
     */
    void linkFailed(final Link link, final String reason) {
        final int state = link.state();
        if (state == CLOSED) {
            return;
        }
        link.close(reason);
        if (state == READY) {
            readyLinks--;
        } else {
            handshakingLinks--;
        }
        if (route != null) {
            route.forgetNode(link.node());
            final int lost = inFlight.clearLink(link.node());
            if (lost > 0) {
                stats.recordError(Outcome.CONNECTION_LOST, lost);
            }
        }
        if (readyLinks == 0 && handshakingLinks == 0) {
            fail(routed ? "node " + nodeName(link) + ": " + reason : reason);
        }
    }

    private String nodeName(final Link link) {
        return route == null ? Integer.toString(link.node()) : route.nodeName(link.node());
    }

    /**
     * Counts an undecodable stream and closes the link it came on.
     *
     * @param link the link.
     * @param reason one line for the report.
     */
    void undecodable(final Link link, final String reason) {
        stats.recordError(Outcome.UNEXPECTED_RESPONSE, 1);
        linkFailed(link, reason);
    }

    /**
     * Fails every link still handshaking (no answer in time); the connection fails when none is ready.
     *
     * @param reason one line for the report.
     */
    void failHandshakes(final String reason) {
        for (final Link link : links) {
            if (link.state() == HANDSHAKING) {
                linkFailed(link, reason);
            }
        }
    }

    /**
     * Closes the connection after a failure; the requests in flight are counted as lost.
     *
     * @param reason one line for the report.
     */
    void fail(final String reason) {
        if (failure != null) {
            return;
        }
        failure = reason;
        final int lost = inFlight.clear();
        if (lost > 0) {
            stats.recordError(Outcome.CONNECTION_LOST, lost);
        }
        deferredCount = 0;
        stats.recordConnectionLost();
        close();
    }

    /**
     * Closes every link quietly; nothing is counted.
     */
    void close() {
        for (final Link link : links) {
            if (link.state() != CLOSED) {
                link.close(null);
            }
        }
        readyLinks = 0;
        handshakingLinks = 0;
    }

    /**
     * Adds this connection's error lines for the report: why it or a link failed, each codec's first error answer,
     * the first request given up while routing.
     *
     * @param messages receives the lines.
     */
    void describeErrors(final Set<String> messages) {
        if (failure != null) {
            messages.add("connection " + index + ": " + failure);
        }
        for (final Link link : links) {
            if (routed && link.failure() != null) {
                messages.add("node " + nodeName(link) + ": " + link.failure());
            }
            if (link.codec().firstErrorMessage() != null) {
                messages.add(link.codec().firstErrorMessage());
            }
        }
        if (routingError != null) {
            messages.add("connection " + index + ": " + routingError);
        }
    }

    /**
     * The partition count a ready link's server announced.
     *
     * @return the count, or 0 when no link is ready or the protocol has none.
     */
    int partitionCount() {
        for (final Link link : links) {
            if (link.state() == READY && link.codec().partitionCount() > 0) {
                return link.codec().partitionCount();
            }
        }
        return 0;
    }

    int index() {
        return index;
    }

    /**
     * The connection's state.
     *
     * @return {@link #READY} while a link is ready, {@link #HANDSHAKING} while a link awaits its handshake answer and
     *     none is ready, else {@link #CLOSED}.
     */
    int state() {
        return readyLinks > 0 ? READY : handshakingLinks > 0 ? HANDSHAKING : CLOSED;
    }

    /**
     * Tells whether a link still awaits its handshake answer.
     *
     * @return true while one does.
     */
    boolean handshaking() {
        return handshakingLinks > 0;
    }

    boolean routed() {
        return routed;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    String failure() {
        return failure;
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
