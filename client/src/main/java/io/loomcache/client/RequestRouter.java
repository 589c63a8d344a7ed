package io.loomcache.client;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.KeySlot;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.PartitionTableCodec;

/**
 * Chooses the node each request goes to and moves requests between nodes. A client given only host and port sends
 * everything to that node, as clients always did, until a node first redirects it; from then on (and from the start
 * for a client given {@link ClientContext#nodes}) it routes: a keyed request goes to the leader cached for its key's
 * partition ({@link KeySlot}: the key's Redis Cluster slot cut into ranges by the partition count the first node
 * announced in HELLO_RESPONSE, as the server's partition router computes it), else to the home node (the seed the
 * client bootstrapped from), and its frame is kept. RESPONSE_REDIRECT naming a leader sends the kept frame there and
 * caches partition to leader, so a stable cluster costs at most one redirect per partition; a request redirected more
 * than {@link ClientContext#MAX_REDIRECTS} times fails with NOT_LEADER naming its route. A redirect naming no leader
 * (an election is under way), or a leader this client just failed to reach (it may have died before its followers
 * noticed), sends the request again to the next seed after a backoff of
 * {@link ClientContext#LEADER_BACKOFF_INITIAL_MS} doubling up to {@link ClientContext#LEADER_BACKOFF_MAX_MS}, until
 * its deadline, then fails it with {@link LoomTimeoutException}. A node that cannot be reached, or whose connection
 * closed before the request was written, is passed over for the next seed. A request written before its connection
 * died, and any RESPONSE_ERROR (OUTCOME_UNKNOWN included), fail and are never sent again. Thread-safe: sends run on
 * the caller's thread; a redirect or a lost connection moves its request on a new virtual thread, so that a
 * connection's reader never blocks on another node.
 */
final class RequestRouter {
    private static final int MAX_BACKOFF_SHIFT = 16;

    private final ClientContext context;
    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong retiredDroppedResponses = new AtomicLong();
    private final AtomicLong redirectsFollowed = new AtomicLong();
    private final Object connectionsLock = new Object();
    private final List<Endpoint> seeds;
    private final ServerInfo serverInfo;
    private final int partitionCount;
    private final AtomicReferenceArray<Endpoint> leaders;
    private final long[] leaderVersions;
    private volatile Connection[] connections = new Connection[0];
    private volatile Endpoint home;
    private volatile byte[][] groupKeys;
    private volatile boolean routing;
    private volatile boolean closed;

    /**
     * Creates the seed endpoints and connects to the first that answers the handshake.
     *
     * @param context the validated context.
     * @throws LoomConnectionException when no seed can be connected (the reasons of each in the message).
     */
    RequestRouter(final ClientContext context) {
        this.context = context;
        this.routing = context.clustered();
        final List<Endpoint> seedEndpoints = new ArrayList<>();
        for (final InetSocketAddress node : context.nodes()) {
            seedEndpoints.add(endpoint(node, context.clustered()));
        }
        this.seeds = List.copyOf(seedEndpoints);
        this.home = bootstrap(seeds);
        this.serverInfo = home.connections()[0].serverInfo();
        this.partitionCount = Math.max(1, serverInfo.partitionCount());
        this.leaders = new AtomicReferenceArray<>(partitionCount);
        this.leaderVersions = new long[partitionCount];
    }

    private static Endpoint bootstrap(final List<Endpoint> seeds) {
        final StringBuilder reasons = new StringBuilder();
        LoomConnectionException first = null;
        for (final Endpoint seed : seeds) {
            try {
                seed.open();
                return seed;
            } catch (final LoomConnectionException ex) {
                first = first == null ? ex : first;
                reasons.append(reasons.isEmpty() ? "" : "; ").append(ex.getMessage());
            }
        }
        if (seeds.size() == 1) {
            throw first;
        }
        throw new LoomConnectionException("cannot connect to any of " + seeds.size() + " nodes: " + reasons, first);
    }

    /**
     * Sends a request from the caller's thread: to the home node while not routing (nothing else is computed), else
     * to the leader of its partition as far as known. Failures complete the request's future; nothing is thrown.
     *
     * @param request the new request.
     */
    void send(final PendingRequest<?> request) {
        if (!routing) {
            home.connection().send(request);
            return;
        }
        request.makeResendable();
        Endpoint target = home;
        if (request.keyed()) {
            final int partition = KeySlot.partition(request.key(), request.keyOffset(), request.keyLength(),
                partitionCount);
            request.partition(partition);
            final Endpoint leader = leaders.get(partition);
            if (leader != null) {
                target = leader;
            }
        }
        dispatch(target, request);
    }

    /**
     * Sends a request to a node, passing over to the next seed every node that cannot be reached or whose connection
     * closed before the request was queued, each seed once at most and not past the request's deadline.
     *
     * @param first the node to try first.
     * @param request the request, not queued on any connection.
     */
    private void dispatch(final Endpoint first, final PendingRequest<?> request) {
        Endpoint target = first;
        LoomConnectionException failure = null;
        boolean homeFailed = false;
        for (int attempt = 0; attempt <= seeds.size(); attempt++) {
            if (closed) {
                request.fail(new LoomConnectionException("client closed"));
                return;
            }
            if (attempt > 0 && System.nanoTime() - request.deadlineNs() >= 0) {
                request.fail(new LoomTimeoutException("TIMEOUT: " + Opcodes.name(request.opcode()) + " not sent: " +
                    "no node reachable within " + context.requestTimeoutMs() + " ms (last: " + failure.getMessage() +
                    ")", false));
                return;
            }
            try {
                final Connection connection = target.connection();
                if (connection.trySend(request)) {
                    if (homeFailed && seeds.contains(target)) {
                        home = target;
                    }
                    return;
                }
                failure = connection.closeCause();
            } catch (final LoomConnectionException ex) {
                failure = ex;
            }
            homeFailed |= target == home;
            forget(target);
            target = nextSeed(target);
        }
        request.fail(new LoomConnectionException("no node reachable for " + Opcodes.name(request.opcode()) +
            (failure == null ? "" : ": " + failure.getMessage()), failure));
    }

    /**
     * Follows a RESPONSE_REDIRECT; called by the reader of the connection that received it, never blocks.
     *
     * @param from the node that redirected.
     * @param request the redirected request, no longer in flight.
     * @param tableVersion the partition table version the node redirected by.
     * @param partitionId the request's partition, as the node computed it.
     * @param leaderNodeId the leader's node id, -1 when no leader is known.
     * @param leaderAddress the leader's "host:port", empty when no leader is known.
     */
    void onRedirect(final Endpoint from, final PendingRequest<?> request, final long tableVersion,
        final int partitionId, final int leaderNodeId, final String leaderAddress) {
        routing = true;
        if (leaderNodeId < 0 || leaderAddress.isEmpty()) {
            onLeaderUnknown(from, request, partitionId);
            return;
        }
        final String redirect = "node " + from.address() + " does not lead partition " + partitionId +
            " (its leader is node " + leaderNodeId + " at " + leaderAddress + ")";
        if (request.frameCopy() == null) {
            request.fail(notKept(redirect));
            return;
        }
        final Endpoint leader;
        try {
            leader = endpoint(NodeAddresses.parse(leaderAddress), true);
        } catch (final IllegalArgumentException ex) {
            request.fail(new LoomErrorException(ErrorCode.NOT_LEADER, redirect + ", an address this client cannot " +
                "use: " + ex.getMessage()));
            return;
        }
        if (leader.unreachable()) {
            onLeaderUnknown(from, request, partitionId);
            return;
        }
        request.redirected(from.address(), leader.address());
        redirectsFollowed.incrementAndGet();
        if (request.redirects() > ClientContext.MAX_REDIRECTS) {
            request.fail(new LoomErrorException(ErrorCode.NOT_LEADER, "redirected more than " +
                ClientContext.MAX_REDIRECTS + " times without reaching the leader of partition " + partitionId +
                ", sent between " + request.route() + "; do the nodes advertise the right addresses?"));
            return;
        }
        remember(partitionId, tableVersion, from, leader);
        Thread.ofVirtual().name("loomcache-redirect " + leader.address())
            .start(() -> sendToLeader(from, leader, request, partitionId));
    }

    /**
     * Sends a redirected request to the leader named; when the leader cannot be reached (it may just have died,
     * before its followers noticed), waits for a leader as during an election instead, the redirect not counted.
     */
    private void sendToLeader(final Endpoint from, final Endpoint leader, final PendingRequest<?> request,
        final int partitionId) {
        if (closed) {
            request.fail(new LoomConnectionException("client closed"));
            return;
        }
        try {
            if (leader.connection().trySend(request)) {
                return;
            }
        } catch (final LoomConnectionException unreachable) {
            // Passed over below, as a connection that closed before the request was queued.
        }
        forget(leader);
        request.leaderUnreachable();
        onLeaderUnknown(from, request, partitionId);
    }

    /**
     * Waits for a leader: no leader is known, or the one named cannot be reached (it may just have died, before its
     * followers noticed). The request goes to the next seed after a backoff, until its deadline.
     */
    private void onLeaderUnknown(final Endpoint from, final PendingRequest<?> request, final int partitionId) {
        if (request.frameCopy() == null) {
            request.fail(notKept("node " + from.address() + " knows no leader of partition " + partitionId +
                " (an election is under way)"));
            return;
        }
        if (partitionId >= 0 && partitionId < partitionCount) {
            leaders.compareAndSet(partitionId, from, null);
        }
        final int waits = request.leaderUnknown();
        final long backoffMs = Math.min(ClientContext.LEADER_BACKOFF_MAX_MS,
            ClientContext.LEADER_BACKOFF_INITIAL_MS << Math.min(waits - 1, MAX_BACKOFF_SHIFT));
        final long remainingNs = request.deadlineNs() - System.nanoTime();
        if (remainingNs <= 0) {
            request.fail(noLeader(request, partitionId));
            return;
        }
        final long waitNs = Math.min(TimeUnit.MILLISECONDS.toNanos(backoffMs), remainingNs);
        moveOn("loomcache-leader-wait " + from.address(), nextSeed(from), request, waitNs);
    }

    /**
     * Sends a request again elsewhere after its connection closed before the request was written; called by the
     * closing thread, never blocks.
     *
     * @param from the node whose connection closed.
     * @param request the request, kept for re-sending, no longer in flight.
     */
    void resendUnwritten(final Endpoint from, final PendingRequest<?> request) {
        moveOn("loomcache-resend " + from.address(), from, request, 0);
    }

    private void moveOn(final String threadName, final Endpoint target, final PendingRequest<?> request,
        final long waitNs) {
        Thread.ofVirtual().name(threadName).start(() -> {
            if (waitNs > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(waitNs));
                } catch (final InterruptedException ex) {
                    request.fail(new LoomException("interrupted while waiting for a leader", ex));
                    return;
                }
                if (System.nanoTime() - request.deadlineNs() >= 0) {
                    request.fail(noLeader(request, request.partition()));
                    return;
                }
            }
            dispatch(target, request);
        });
    }

    private static LoomErrorException notKept(final String redirect) {
        return new LoomErrorException(ErrorCode.NOT_LEADER, redirect + "; the request was sent before the client " +
            "knew it talks to a cluster and cannot be sent again: later requests follow redirects (name the nodes " +
            "with ClientContext.nodes to follow them from the first request)");
    }

    private LoomTimeoutException noLeader(final PendingRequest<?> request, final int partitionId) {
        return new LoomTimeoutException("TIMEOUT: no reachable leader of partition " + partitionId + " within " +
            context.requestTimeoutMs() + " ms (an election is under way?); " + Opcodes.name(request.opcode()) +
            " was not applied", false);
    }

    /**
     * Caches the leader a redirect named, unless the cache holds a leader learnt from a newer partition table and
     * the redirecting node is not that leader itself.
     */
    private void remember(final int partitionId, final long tableVersion, final Endpoint from, final Endpoint leader) {
        if (partitionId < 0 || partitionId >= partitionCount) {
            return;
        }
        synchronized (leaderVersions) {
            final Endpoint cached = leaders.get(partitionId);
            if (cached == null || cached == from || tableVersion >= leaderVersions[partitionId]) {
                leaders.set(partitionId, leader);
                leaderVersions[partitionId] = tableVersion;
            }
        }
    }

    /** @return redirects naming a leader that requests followed since the client connected. */
    long redirectsFollowed() {
        return redirectsFollowed.get();
    }

    /**
     * Seeds the leader cache from a member's partition table (read once at connect), so that the first request of a
     * partition goes to its leader instead of learning it from a redirect. A partition whose group has no known leader
     * stays unknown; a leader cached from a newer table version is kept. Does nothing for a table of another
     * partition count (a node of another version: redirects still route).
     *
     * @param table the decoded table.
     * @return the partitions whose leader it named.
     */
    int adopt(final PartitionTableCodec.Table table) {
        if (!routing || table.partitionCount() != partitionCount || table.groupCount() == 0) {
            return 0;
        }
        int known = 0;
        for (int partition = 0; partition < partitionCount; partition++) {
            final int group = partition % table.groupCount();
            final String address = table.addressOf(table.leaderIds()[group]);
            if (address == null) {
                continue;
            }
            final Endpoint leader;
            try {
                leader = endpoint(NodeAddresses.parse(address), true);
            } catch (final IllegalArgumentException ex) {
                continue;
            }
            remember(partition, table.terms()[group], null, leader);
            known++;
        }
        groupKeys = keysForEachGroup(table.groupCount());
        return known;
    }

    /**
     * @return one key per Raft group of the cluster (key i falls in a partition of group i), for the requests that
     *     address a group (MAP_CLEAR_GROUP); null when no partition table was read.
     */
    byte[][] groupKeys() {
        return groupKeys;
    }

    /** Finds, for each group, a key whose partition belongs to it (partition % groups), as the server routes it. */
    private byte[][] keysForEachGroup(final int groups) {
        final byte[][] keys = new byte[groups][];
        int found = 0;
        for (int i = 0; found < groups && i < 1_000_000; i++) {
            final byte[] key = ("loomcache-group-" + i).getBytes(StandardCharsets.US_ASCII);
            final int group = KeySlot.partition(new UnsafeBuffer(key), 0, key.length, partitionCount) % groups;
            if (keys[group] == null) {
                keys[group] = key;
                found++;
            }
        }
        return found == groups ? keys : null;
    }

    /**
     * A request to a node timed out: forget the partitions cached as led by it and, if it was the node asked first,
     * ask the next seed first from now on, so that the next requests follow a live node's redirect instead of
     * waiting on a node that may be paused or cut off.
     *
     * @param endpoint the node.
     */
    void onTimeout(final Endpoint endpoint) {
        forget(endpoint);
        if (endpoint == home && seeds.size() > 1) {
            home = nextSeed(endpoint);
        }
    }

    /** Forgets every partition cached as led by a node that cannot be reached. */
    private void forget(final Endpoint endpoint) {
        for (int partition = 0; partition < partitionCount; partition++) {
            leaders.compareAndSet(partition, endpoint, null);
        }
    }

    private Endpoint nextSeed(final Endpoint current) {
        final int index = seeds.indexOf(current);
        return index < 0 ? home : seeds.get((index + 1) % seeds.size());
    }

    private Endpoint endpoint(final InetSocketAddress address, final boolean reopens) {
        return endpoints.computeIfAbsent(NodeAddresses.format(address),
            text -> new Endpoint(address, context, this, reopens));
    }

    /**
     * Records connections an endpoint opened in place of others, for the timer and the client's counters.
     *
     * @param replaced the endpoint's previous connections, all closed (or none).
     * @param opened the new connections.
     */
    void onOpened(final Connection[] replaced, final Connection[] opened) {
        synchronized (connectionsLock) {
            for (final Connection connection : replaced) {
                retiredDroppedResponses.addAndGet(connection.droppedResponses());
            }
            final List<Connection> all = new ArrayList<>();
            for (final Endpoint endpoint : endpoints.values()) {
                all.addAll(List.of(endpoint.connections()));
            }
            connections = all.toArray(Connection[]::new);
        }
    }

    /**
     * Closes every connection; requests in flight fail, requests waiting to move on fail with "client closed".
     *
     * @param cause the exception requests in flight fail with.
     */
    void close(final LoomConnectionException cause) {
        closed = true;
        for (final Endpoint endpoint : endpoints.values()) {
            endpoint.close(cause);
        }
    }

    /**
     * Tells whether {@link #close} was called.
     *
     * @return true once closed; no connection is opened after that.
     */
    boolean isClosed() {
        return closed;
    }

    /**
     * Every connection currently opened, to every node; closed ones included until replaced.
     *
     * @return a snapshot, not to be modified.
     */
    Connection[] connections() {
        return connections;
    }

    /**
     * Responses dropped by connections since replaced.
     *
     * @return the count.
     */
    long retiredDroppedResponses() {
        return retiredDroppedResponses.get();
    }

    /**
     * What the node the client bootstrapped from said in HELLO_RESPONSE.
     *
     * @return the server info.
     */
    ServerInfo serverInfo() {
        return serverInfo;
    }

    /**
     * Tells whether requests are routed by partition.
     *
     * @return true for a client given nodes, or once a node redirected.
     */
    boolean routing() {
        return routing;
    }
}
