package io.loomcache.raft.sim;

import java.util.SplittableRandom;

import io.loomcache.checker.History;
import io.loomcache.raft.RaftNode;

import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Simulated clients: each runs one operation at a time (read, write or compare-and-set on a few registers) against
 * the member it believes leads, follows NOT_LEADER hints, and records every operation in a {@link History}: ok or
 * fail when the outcome is known, info when it timed out (the write may or may not have happened). A client whose
 * operation timed out continues as a new process, as in Jepsen.
 */
final class Workload {
    private static final int IDLE = 0;
    private static final int RETRYING = 1;
    private static final int WAIT_APPLY = 2;
    private static final int WAIT_READ = 3;
    private static final int KIND_READ = 0;
    private static final int KIND_WRITE = 1;
    private static final int KIND_CAS = 2;

    final History history = new History();
    private final Simulation sim;
    private final SimOptions options;
    private final SplittableRandom random;
    private final Client[] clients;
    private final Long2ObjectHashMap<Client> byOpId = new Long2ObjectHashMap<>();
    private final ExpandableDirectByteBuffer command = new ExpandableDirectByteBuffer(64);
    private long nextOpId = 1;
    private long nextValue = 1;
    private int nextProcess;
    private boolean stopped;
    long acknowledged;
    long timedOut;

    /** One client's state: the operation in progress and where it waits. */
    static final class Client {
        final int id;
        int process;
        int state = IDLE;
        int kind;
        long key;
        long expected;
        long value;
        long opId;
        int historyId;
        int target;
        int waitMember;
        long waitIndex;
        long waitTerm;
        long deadlineNs;
        long lastRead = RegisterStateMachine.NIL;

        Client(final int id, final int process) {
            this.id = id;
            this.process = process;
        }
    }

    Workload(final Simulation sim, final SimOptions options, final SplittableRandom random) {
        this.sim = sim;
        this.options = options;
        this.random = random;
        this.clients = new Client[options.clients];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Client(i, nextProcess++);
            clients[i].target = 1 + random.nextInt(options.members);
        }
    }

    int clientCount() {
        return clients.length;
    }

    void stop() {
        stopped = true;
    }

    boolean quiescent() {
        for (final Client client : clients) {
            if (client.state != IDLE) {
                return false;
            }
        }
        return true;
    }

    /** A client's turn: start an operation when idle, or retry one that was refused. */
    void step(final int clientId) {
        final Client client = clients[clientId];
        if (client.state == IDLE) {
            if (stopped) {
                return;
            }
            begin(client);
        }
        if (client.state == RETRYING) {
            attempt(client);
        }
    }

    private void begin(final Client client) {
        client.key = random.nextInt(options.keys);
        client.opId = nextOpId++;
        final int roll = random.nextInt(10);
        client.kind = roll < 4 ? KIND_READ : roll < 7 ? KIND_WRITE : KIND_CAS;
        switch (client.kind) {
            case KIND_READ -> client.historyId = history.invokeRead(client.process, client.key);
            case KIND_WRITE -> {
                client.value = nextValue++;
                client.historyId = history.invokeWrite(client.process, client.key, client.value);
            }
            default -> {
                client.value = nextValue++;
                client.expected = client.lastRead == RegisterStateMachine.NIL ? nextValue - 2 : client.lastRead;
                client.historyId = history.invokeCas(client.process, client.key, client.expected, client.value);
            }
        }
        client.state = RETRYING;
        client.deadlineNs = sim.nowNs() + options.clientTimeoutMs * 1_000_000L;
        sim.scheduleClientTimeout(client.id, client.opId, client.deadlineNs);
    }

    private void attempt(final Client client) {
        final SimMember member = sim.member(client.target);
        if (member == null || !member.alive) {
            retryElsewhere(client, -1);
            return;
        }
        final RaftNode node = member.node;
        if (client.kind == KIND_READ) {
            if (options.staleReadBug) {
                // Deliberate bug: read the local state machine of whichever member, with no leadership check.
                complete(client, member.stateMachine.get(client.key));
                return;
            }
            final boolean lease = options.leaseReads && random.nextDouble() < options.leaseReadShare;
            final long result = node.read(client.opId, lease);
            if (result == 0) {
                client.state = WAIT_READ;
                client.waitMember = member.id;
                byOpId.put(client.opId, client);
            } else {
                retryElsewhere(client, node.leaderId());
            }
            return;
        }
        final int op = client.kind == KIND_WRITE ? RegisterStateMachine.OP_WRITE : RegisterStateMachine.OP_CAS;
        final int length = RegisterStateMachine.encode(command, op, client.opId, client.key, client.expected,
            client.value);
        final long index = node.propose(command, 0, length);
        if (index > 0) {
            client.state = WAIT_APPLY;
            client.waitMember = member.id;
            client.waitIndex = index;
            client.waitTerm = node.term();
            byOpId.put(client.opId, client);
        } else {
            retryElsewhere(client, node.leaderId());
        }
    }

    private void retryElsewhere(final Client client, final int leaderHint) {
        client.state = RETRYING;
        client.target = leaderHint > 0 && random.nextInt(4) != 0 ? leaderHint : 1 + random.nextInt(sim.memberSlots());
        sim.scheduleClient(client.id, 2 + random.nextInt(15));
    }

    /** A command was applied at {@code member}: completes the operation that proposed it, or one it displaced. */
    void onApply(final int member, final long index, final long term, final long opId, final boolean success) {
        final Client client = byOpId.get(opId);
        if (client != null && client.opId == opId && client.state == WAIT_APPLY) {
            byOpId.remove(opId);
            if (success) {
                history.ok(client.historyId);
                acknowledged++;
                sim.invariants().onAcknowledged(index, term);
            } else {
                // The register held another value: a completed operation the checker verifies, not a failure.
                history.okCasMismatch(client.historyId);
            }
            finish(client);
            return;
        }
        for (final Client waiting : clients) {
            if (waiting.state == WAIT_APPLY && waiting.waitMember == member && waiting.waitIndex == index
                && waiting.opId != opId) {
                // Another command committed at the index this one was appended at: it can never commit.
                byOpId.remove(waiting.opId);
                history.fail(waiting.historyId);
                finish(waiting);
            }
        }
    }

    void onReadReady(final int member, final long correlationId) {
        final Client client = byOpId.get(correlationId);
        if (client != null && client.state == WAIT_READ && client.waitMember == member) {
            byOpId.remove(correlationId);
            complete(client, sim.member(member).stateMachine.get(client.key));
        }
    }

    void onReadRejected(final int member, final long correlationId) {
        final Client client = byOpId.get(correlationId);
        if (client != null && client.state == WAIT_READ && client.waitMember == member) {
            byOpId.remove(correlationId);
            retryElsewhere(client, -1);
        }
    }

    /** A member crashed: reads waiting there go elsewhere; writes stay pending (they may still commit). */
    void onCrash(final int member) {
        for (final Client client : clients) {
            if (client.state == WAIT_READ && client.waitMember == member) {
                byOpId.remove(client.opId);
                retryElsewhere(client, -1);
            }
        }
    }

    void onTimeout(final int clientId, final long opId) {
        final Client client = clients[clientId];
        if (client.opId != opId || client.state == IDLE) {
            return;
        }
        byOpId.remove(opId);
        history.info(client.historyId);
        timedOut++;
        client.process = nextProcess++;
        client.lastRead = RegisterStateMachine.NIL;
        finish(client);
    }

    private void complete(final Client client, final long value) {
        history.okRead(client.historyId, value);
        client.lastRead = value;
        finish(client);
    }

    private void finish(final Client client) {
        client.state = IDLE;
        if (!stopped) {
            sim.scheduleClient(client.id, random.nextInt(10));
        }
    }
}
