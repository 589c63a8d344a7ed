package io.loomcache.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.raft.AppendEntriesDecoder;
import io.loomcache.raft.storage.InMemoryRaftLog;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hand-driven Raft group for directed tests: one fake clock, an outbox the test delivers (or drops) message by
 * message, and members that can be crashed (their {@link InMemoryRaftLog} loses what was not forced) and
 * restarted. Single-threaded, deterministic.
 */
final class ManualGroup {
    /** One message in flight. */
    record Frame(int from, int to, byte[] bytes) {
        int opcode() {
            return new UnsafeBuffer(bytes)
                .getShort(FrameHeaderDescriptor.OPCODE_OFFSET, FrameHeaderDescriptor.BYTE_ORDER) & 0xFFFF;
        }
    }

    final ArrayDeque<Frame> outbox = new ArrayDeque<>();
    final RaftNode[] nodes = new RaftNode[8];
    final RaftLog[] logs = new RaftLog[8];
    final CounterStateMachine[] machines = new CounterStateMachine[8];
    final List<Long> readsReady = new ArrayList<>();
    final List<Long> readsRejected = new ArrayList<>();
    /** Members cut off from everyone: their frames, both ways, are dropped. */
    final boolean[] isolated = new boolean[8];
    /** Links cut one way: {@code blocked[from][to]}. */
    final boolean[][] blocked = new boolean[8][8];
    /** Links that lose every AppendEntries carrying entries but deliver everything else (heartbeats, answers). */
    final boolean[][] loseEntries = new boolean[8][8];
    private final AppendEntriesDecoder appendDecoder = new AppendEntriesDecoder();
    long nowNs = 1_000_000_000L;
    private final int[] voters;
    private final UnaryOperator<RaftContext> settings;

    ManualGroup(final UnaryOperator<RaftContext> settings, final int... voters) {
        this(settings, id -> new InMemoryRaftLog(), voters);
    }

    ManualGroup(final UnaryOperator<RaftContext> settings, final IntFunction<RaftLog> storage, final int... voters) {
        this.voters = voters.clone();
        this.settings = settings;
        for (final int id : voters) {
            logs[id] = storage.apply(id);
            start(id);
        }
    }

    InMemoryRaftLog memoryLog(final int id) {
        return (InMemoryRaftLog)logs[id];
    }

    RaftNode start(final int id) {
        return start(id, voters);
    }

    /** Starts a member that joins later: it knows no configuration until the leader sends one. */
    RaftNode startJoiner(final int id) {
        return start(id, new int[0]);
    }

    private RaftNode start(final int id, final int[] initialVoters) {
        machines[id] = new CounterStateMachine();
        final RaftContext context = settings.apply(new RaftContext()
            .groupId(1).memberId(id).initialVoters(initialVoters).randomSeed(id * 7919L));
        nodes[id] = new RaftNode(context, () -> nowNs, (peer, buffer, offset, length) -> send(id, peer, buffer,
            offset, length), logs[id], machines[id], new RaftListener() {
                @Override
                public void onReadReady(final long correlationId, final long readIndex) {
                    readsReady.add(correlationId);
                }

                @Override
                public void onReadRejected(final long correlationId) {
                    readsRejected.add(correlationId);
                }

                @Override
                public void onRoleChange(final int role, final long term, final int leaderId) {
                    // Roles are read from the nodes directly.
                }
            });
        return nodes[id];
    }

    void crash(final int id) {
        nodes[id] = null;
        if (logs[id] instanceof InMemoryRaftLog memory) {
            memory.crash();
        }
        outbox.removeIf(frame -> frame.to() == id);
    }

    private boolean send(final int from, final int to, final DirectBuffer buffer, final int offset,
        final int length) {
        if (isolated[from] || isolated[to] || blocked[from][to]) {
            return true;
        }
        if (loseEntries[from][to] && appendDecoder.wrap(buffer, offset, length) == ErrorCode.NONE
            && appendDecoder.entryCount() > 0) {
            return true;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        outbox.add(new Frame(from, to, bytes));
        return true;
    }

    void deliver(final Frame frame) {
        final RaftNode node = nodes[frame.to()];
        if (node != null && !isolated[frame.from()] && !isolated[frame.to()]) {
            node.onMessage(new UnsafeBuffer(frame.bytes()), 0, frame.bytes().length);
        }
    }

    /** Delivers every message, including the answers they cause, until none is left (bounded). */
    void deliverAll() {
        for (int i = 0; i < 100_000 && !outbox.isEmpty(); i++) {
            deliver(outbox.poll());
        }
    }

    /** Advances the clock in 1 ms steps, running every live member and delivering everything each step. */
    void run(final long ms) {
        for (long i = 0; i < ms; i++) {
            nowNs += 1_000_000L;
            for (final RaftNode node : nodes) {
                if (node != null) {
                    node.doWork(nowNs);
                }
            }
            deliverAll();
        }
    }

    /** Runs until some member leads (bounded), returning it. */
    RaftNode awaitLeader(final long maxMs) {
        for (long i = 0; i < maxMs; i++) {
            final RaftNode leader = leader();
            if (leader != null) {
                return leader;
            }
            run(1);
        }
        throw new AssertionError("no leader within " + maxMs + " ms");
    }

    RaftNode leader() {
        RaftNode best = null;
        for (final RaftNode node : nodes) {
            if (node != null && node.role() == RaftNode.ROLE_LEADER && (best == null || node.term() > best.term())) {
                best = node;
            }
        }
        return best;
    }

    long propose(final RaftNode leader, final long value) {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(8);
        buffer.putLong(0, value);
        return leader.propose(buffer, 0, Long.BYTES);
    }

    /** A state machine holding the last value applied and how many commands it applied. */
    static final class CounterStateMachine implements StateMachine {
        long last;
        long applied;

        @Override
        public void apply(final long index, final long term, final DirectBuffer buffer, final int offset,
            final int length) {
            last = buffer.getLong(offset);
            applied++;
        }

        @Override
        public int takeSnapshot(final ExpandableDirectByteBuffer out, final int offset) {
            out.putLong(offset, last);
            out.putLong(offset + Long.BYTES, applied);
            return 2 * Long.BYTES;
        }

        @Override
        public void restore(final DirectBuffer buffer, final int offset, final int length) {
            last = buffer.getLong(offset);
            applied = buffer.getLong(offset + Long.BYTES);
        }
    }
}
