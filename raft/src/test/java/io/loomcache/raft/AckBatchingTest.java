package io.loomcache.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.raft.AppendEntriesDecoder;
import io.loomcache.protocol.raft.AppendEntriesEncoder;
import io.loomcache.protocol.raft.AppendEntriesResponseDecoder;
import io.loomcache.protocol.raft.RaftMessageDescriptor;
import io.loomcache.protocol.raft.TimeoutNowEncoder;
import io.loomcache.protocol.raft.VoteRequestDecoder;
import io.loomcache.protocol.raft.VoteRequestEncoder;
import io.loomcache.protocol.raft.VoteResponseDecoder;
import io.loomcache.raft.storage.InMemoryRaftLog;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Follower acknowledgements batched per duty cycle: the AppendEntries a member takes between two
 * {@link RaftNode#doWork(long)} calls cost one force and one reply, anything that must not overtake that reply
 * sends it first, and {@link RaftGroups} lets one force of a log shared by its groups cover every group's entries,
 * all of them sent before it.
 */
class AckBatchingTest {
    private static final int LEADER = 1;
    private static final int FOLLOWER = 2;
    private static final int OTHER = 3;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private final AppendEntriesEncoder appendEncoder = new AppendEntriesEncoder();

    // ------------------------------------------------------------------------------------------------ follower

    @Test
    void shouldForceOnceAndReplyOnceWithTheHighestMatchAndSeqForSeveralAppendEntriesInOneCycle() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode follower = group.nodes[FOLLOWER];
        final InMemoryRaftLog log = group.memoryLog(FOLLOWER);
        final long forces = log.forceCount();

        follower.onMessage(frame, 0, append(LEADER, 1, 0, 0, 0, 5, 1, 2));
        follower.onMessage(frame, 0, append(LEADER, 1, 2, 1, 2, 7, 1, 1));
        // A heartbeat overtaken on the way: lower sequence, lower match, lower leaderCommit.
        follower.onMessage(frame, 0, append(LEADER, 1, 1, 1, 1, 6, 1, 0));

        assertEquals(3, log.lastIndex(), "the entries are appended as they arrive");
        assertEquals(forces, log.forceCount(), "nothing is forced before the duty cycle");
        assertTrue(group.outbox.isEmpty(), "nothing is acknowledged before the duty cycle");
        assertEquals(0, follower.commitIndex(), "nor committed");

        follower.doWork(group.nowNs);
        assertEquals(forces + 1, log.forceCount(), "one force for the three messages");
        assertEquals(3, log.durableIndex());
        assertEquals(1, group.outbox.size(), "one reply for the three messages");
        final AppendEntriesResponseDecoder reply = appendResponse(group.outbox.poll(), LEADER);
        assertTrue(reply.success());
        assertEquals(1, reply.term());
        assertEquals(3, reply.matchIndex(), "the highest verified match");
        assertEquals(3, reply.lastLogIndex());
        assertEquals(7, reply.seq(), "the highest sequence, not the last one received");
        assertEquals(2, follower.commitIndex(), "min(highest leaderCommit 2, match 3)");
        assertEquals(2, follower.lastApplied(), "applied in the same cycle");

        assertEquals(0, follower.doWork(group.nowNs));
        assertEquals(forces + 1, log.forceCount(), "a cycle with nothing new forces nothing");
        assertTrue(group.outbox.isEmpty(), "and answers nothing");
    }

    @Test
    void shouldNotForceAgainWhenTheAcknowledgedEntriesAreAlreadyDurable() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode follower = group.nodes[FOLLOWER];
        final InMemoryRaftLog log = group.memoryLog(FOLLOWER);
        follower.onMessage(frame, 0, append(LEADER, 1, 0, 0, 0, 1, 1, 2));
        follower.doWork(group.nowNs);
        group.outbox.clear();
        final long forces = log.forceCount();

        follower.onMessage(frame, 0, append(LEADER, 1, 2, 1, 2, 2, 1, 0));
        follower.doWork(group.nowNs);
        assertEquals(forces, log.forceCount(), "a heartbeat over durable entries is answered without a force");
        final AppendEntriesResponseDecoder reply = appendResponse(group.outbox.poll(), LEADER);
        assertTrue(reply.success());
        assertEquals(2, reply.seq());
        assertEquals(2, follower.commitIndex());
    }

    @Test
    void shouldSendThePendingAcknowledgementBeforeARejection() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode follower = group.nodes[FOLLOWER];
        final InMemoryRaftLog log = group.memoryLog(FOLLOWER);
        final long forces = log.forceCount();

        follower.onMessage(frame, 0, append(LEADER, 1, 0, 0, 0, 5, 1, 2));
        follower.onMessage(frame, 0, append(LEADER, 1, 9, 1, 0, 6, 1, 1));

        assertEquals(forces + 1, log.forceCount(), "the acknowledgement was forced before the rejection left");
        assertEquals(2, group.outbox.size());
        final AppendEntriesResponseDecoder ack = appendResponse(group.outbox.poll(), LEADER);
        assertTrue(ack.success());
        assertEquals(2, ack.matchIndex());
        assertEquals(5, ack.seq());
        final AppendEntriesResponseDecoder rejection = appendResponse(group.outbox.poll(), LEADER);
        assertFalse(rejection.success());
        assertEquals(6, rejection.seq());
        assertEquals(2, rejection.lastLogIndex(), "the hint is the follower's last index");

        assertEquals(0, follower.doWork(group.nowNs));
        assertTrue(group.outbox.isEmpty(), "the acknowledgement is not sent twice");
        assertEquals(forces + 1, log.forceCount());
    }

    @Test
    void shouldSendThePendingAcknowledgementInItsTermBeforeTakingALaterLeadersEntries() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode follower = group.nodes[FOLLOWER];

        follower.onMessage(frame, 0, append(LEADER, 1, 0, 0, 0, 5, 1, 2));
        follower.onMessage(frame, 0, append(OTHER, 2, 2, 1, 0, 1, 2, 1));

        assertEquals(2, follower.term());
        assertEquals(1, group.outbox.size(), "the first leader's acknowledgement left when the term changed");
        final AppendEntriesResponseDecoder first = appendResponse(group.outbox.poll(), LEADER);
        assertTrue(first.success());
        assertEquals(1, first.term(), "in the term the entries were accepted in");
        assertEquals(2, first.matchIndex());
        assertEquals(5, first.seq());

        follower.doWork(group.nowNs);
        final AppendEntriesResponseDecoder second = appendResponse(group.outbox.poll(), OTHER);
        assertTrue(second.success());
        assertEquals(2, second.term());
        assertEquals(3, second.matchIndex());
        assertEquals(1, second.seq());
        assertTrue(group.outbox.isEmpty());
    }

    @Test
    void shouldSendThePendingAcknowledgementBeforeAVoteThatRaisesTheTerm() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode follower = group.nodes[FOLLOWER];

        follower.onMessage(frame, 0, append(LEADER, 1, 0, 0, 0, 5, 1, 2));
        // A transfer's election skips the leader-alive check, so it is heard right after the leader's entries.
        final int length = new VoteRequestEncoder().wrap(frame, 0).opcode(Opcodes.VOTE_REQUEST).groupId(1)
            .senderId(OTHER).term(2).lastLogIndex(2).lastLogTerm(1)
            .voteFlags(RaftMessageDescriptor.FLAG_LEADERSHIP_TRANSFER).frameLength();
        follower.onMessage(frame, 0, length);

        assertEquals(2, group.outbox.size());
        final AppendEntriesResponseDecoder ack = appendResponse(group.outbox.poll(), LEADER);
        assertTrue(ack.success());
        assertEquals(1, ack.term(), "sent before the term changed");
        assertEquals(2, ack.matchIndex());
        final ManualGroup.Frame vote = group.outbox.poll();
        assertEquals(Opcodes.VOTE_RESPONSE, vote.opcode());
        assertEquals(OTHER, vote.to());
        final VoteResponseDecoder response = new VoteResponseDecoder();
        assertEquals(ErrorCode.NONE, response.wrap(new UnsafeBuffer(vote.bytes()), 0, vote.bytes().length));
        assertTrue(response.granted());
        assertEquals(2, response.term());
    }

    @Test
    void shouldSendThePendingAcknowledgementBeforeTheElectionATimeoutNowStarts() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode follower = group.nodes[FOLLOWER];

        follower.onMessage(frame, 0, append(LEADER, 1, 0, 0, 0, 5, 1, 2));
        final int length = new TimeoutNowEncoder().wrap(frame, 0).groupId(1).senderId(LEADER).term(1).frameLength();
        follower.onMessage(frame, 0, length);

        assertEquals(RaftNode.ROLE_CANDIDATE, follower.role());
        assertEquals(3, group.outbox.size());
        final AppendEntriesResponseDecoder ack = appendResponse(group.outbox.poll(), LEADER);
        assertTrue(ack.success());
        assertEquals(1, ack.term());
        for (int i = 0; i < 2; i++) {
            final ManualGroup.Frame request = group.outbox.poll();
            assertEquals(Opcodes.VOTE_REQUEST, request.opcode());
            final VoteRequestDecoder decoder = new VoteRequestDecoder();
            assertEquals(ErrorCode.NONE, decoder.wrap(new UnsafeBuffer(request.bytes()), 0, request.bytes().length));
            assertEquals(2, decoder.term());
        }
    }

    @Test
    void shouldNeverAcknowledgeEntriesWhoseForceFailed() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode follower = group.nodes[FOLLOWER];
        follower.onMessage(frame, 0, append(LEADER, 1, 0, 0, 0, 5, 1, 2));
        group.memoryLog(FOLLOWER).failNextForce();

        follower.doWork(group.nowNs);
        assertEquals(RaftNode.ROLE_FAILED, follower.role());
        assertTrue(group.outbox.isEmpty(), "no acknowledgement of entries that are not durable");
        assertEquals(0, follower.commitIndex());
    }

    // ------------------------------------------------------------------------------------------------ leader

    @Test
    void shouldFreeTheWholeWindowAndServeAReadIndexOnOneBatchedReply() {
        final ManualGroup group = new ManualGroup(c -> c.maxInflightAppends(2).leaseReads(false), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        quiesce(group);
        final int[] followers = followersOf(leader);

        group.propose(leader, 1);
        leader.doWork(group.nowNs);
        assertEquals(0, leader.read(77, false));
        group.propose(leader, 2);
        leader.doWork(group.nowNs);
        group.propose(leader, 3);
        leader.doWork(group.nowNs);
        assertEquals(4, group.outbox.size(), "two appends per follower fill the window of 2; the third waits");
        assertTrue(replication(leader).contains("inflight=2"), replication(leader));
        final long last = leader.log().lastIndex();

        group.deliverAll();
        for (final int id : followers) {
            group.nodes[id].doWork(group.nowNs);
        }
        assertEquals(2, group.outbox.size(), "one reply per follower");
        group.deliver(group.outbox.poll());
        group.deliver(group.outbox.poll());
        assertEquals(last - 1, leader.matchIndexOf(followers[0]), "the batched reply carries the highest match");
        assertEquals(last - 1, leader.matchIndexOf(followers[1]));
        assertEquals(last - 1, leader.commitIndex());
        // The reply freed both messages of the window: the third entry left at once (on the reply), two messages.
        assertEquals(2, group.outbox.size());
        assertFalse(replication(leader).contains("inflight=0"), replication(leader));
        assertFalse(replication(leader).contains("inflight=2"), replication(leader));
        assertFalse(group.readsReady.contains(77L));
        leader.doWork(group.nowNs);
        assertTrue(group.readsReady.contains(77L), "the highest sequence acknowledged the read's round");
    }

    // ------------------------------------------------------------------------------------------------ groups

    @Test
    void shouldForceASharedLogOncePerCycleWithEveryGroupsEntriesSentBeforeIt() {
        final SharedGroups cluster = new SharedGroups(2);
        cluster.awaitLeadersOn(LEADER);
        cluster.quiesce();
        final SharedStorage leaderStorage = cluster.storage[LEADER];
        final long leaderForces = leaderStorage.forces;

        final ExpandableDirectByteBuffer command = new ExpandableDirectByteBuffer(8);
        for (int g = 0; g < cluster.groupCount; g++) {
            command.putLong(0, 100 + g);
            assertTrue(cluster.processes[LEADER].group(g).propose(command, 0, Long.BYTES) > 0);
        }
        cluster.processes[LEADER].doWork(cluster.nowNs);

        assertEquals(leaderForces + 1, leaderStorage.forces, "one force for both groups' entries");
        int appends = 0;
        for (final Sent sent : cluster.sent) {
            assertEquals(LEADER, sent.from());
            if (sent.opcode() == Opcodes.APPEND_ENTRIES && sent.entries() > 0) {
                appends++;
                assertEquals(leaderForces, sent.forcesBefore(),
                    "group " + sent.groupId() + "'s entries left before the force");
            }
        }
        assertEquals(2 * cluster.groupCount, appends, "each group's entries to each of its two followers");

        final long followerForces = cluster.storage[FOLLOWER].forces;
        cluster.deliverAll();
        assertEquals(followerForces, cluster.storage[FOLLOWER].forces, "the follower forces nothing per message");
        assertTrue(cluster.sent.isEmpty(), "and answers nothing before its duty cycle");
        cluster.processes[FOLLOWER].doWork(cluster.nowNs);
        assertEquals(followerForces + 1, cluster.storage[FOLLOWER].forces, "one force acknowledges both groups");
        assertEquals(cluster.groupCount, cluster.sent.size(), "one reply per group");
        for (final Sent sent : cluster.sent) {
            assertEquals(Opcodes.APPEND_ENTRIES_RESPONSE, sent.opcode());
            assertEquals(LEADER, sent.to());
        }

        cluster.processes[OTHER].doWork(cluster.nowNs);
        cluster.deliverAll();
        cluster.processes[LEADER].doWork(cluster.nowNs);
        for (int g = 0; g < cluster.groupCount; g++) {
            final RaftNode leader = cluster.processes[LEADER].group(g);
            assertEquals(leader.log().lastIndex(), leader.commitIndex(), "group " + g + " committed");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Encodes an AppendEntries of group 1 into {@link #frame}, with {@code entries} command entries of
     * {@code entryTerm} after {@code prev}.
     */
    private int append(final int leader, final long term, final long prev, final long prevTerm,
        final long leaderCommit, final long seq, final long entryTerm, final int entries) {
        appendEncoder.wrap(frame, 0).groupId(1).senderId(leader).term(term).prevLogIndex(prev).prevLogTerm(prevTerm)
            .leaderCommit(leaderCommit).seq(seq);
        for (int i = 0; i < entries; i++) {
            final int position = appendEncoder.claimEntry(entryTerm, EntryType.COMMAND, Long.BYTES);
            frame.putLong(position, prev + 1 + i);
        }
        return appendEncoder.frameLength();
    }

    private static AppendEntriesResponseDecoder appendResponse(final ManualGroup.Frame sent, final int to) {
        assertNotNull(sent, "a reply was sent");
        assertEquals(Opcodes.APPEND_ENTRIES_RESPONSE, sent.opcode());
        assertEquals(to, sent.to());
        final AppendEntriesResponseDecoder decoder = new AppendEntriesResponseDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(new UnsafeBuffer(sent.bytes()), 0, sent.bytes().length));
        return decoder;
    }

    /** Runs every member and delivers, without moving the clock, until nothing is pending or in flight. */
    private static void quiesce(final ManualGroup group) {
        for (int round = 0; round < 4; round++) {
            for (final RaftNode node : group.nodes) {
                if (node != null) {
                    node.doWork(group.nowNs);
                }
            }
            group.deliverAll();
        }
        assertTrue(group.outbox.isEmpty());
    }

    private static int[] followersOf(final RaftNode leader) {
        final int[] followers = new int[2];
        int n = 0;
        for (int id = 1; id <= 3; id++) {
            if (id != leader.memberId()) {
                followers[n++] = id;
            }
        }
        return followers;
    }

    private static String replication(final RaftNode leader) {
        final StringBuilder out = new StringBuilder();
        leader.appendReplicationTo(out);
        return out.toString();
    }

    /** One frame a process sent, with the number of forces of its storage at the time. */
    private record Sent(int from, int to, int groupId, int opcode, int entries, long forcesBefore, byte[] bytes) {
    }

    /**
     * Three processes ({@link RaftGroups}), each holding a member of every group, where each process stores the
     * logs of all its groups in one {@link SharedStorage}.
     */
    private static final class SharedGroups {
        final int groupCount;
        final RaftGroups[] processes = new RaftGroups[4];
        final SharedStorage[] storage = new SharedStorage[4];
        final ArrayDeque<Sent> sent = new ArrayDeque<>();
        private final AppendEntriesDecoder decoder = new AppendEntriesDecoder();
        long nowNs = 1_000_000_000L;

        SharedGroups(final int groupCount) {
            this.groupCount = groupCount;
            for (int member = 1; member <= 3; member++) {
                final int id = member;
                processes[member] = new RaftGroups();
                storage[member] = new SharedStorage();
                for (int g = 0; g < groupCount; g++) {
                    processes[member].add(new RaftNode(
                        new RaftContext().groupId(g).memberId(member).initialVoters(1, 2, 3)
                            .randomSeed(g * 131L + member),
                        () -> nowNs, (peer, buffer, offset, length) -> record(id, peer, buffer, offset, length),
                        storage[member].newLog(), new ManualGroup.CounterStateMachine(), new QuietListener()));
                }
            }
        }

        private boolean record(final int from, final int to, final DirectBuffer buffer, final int offset,
            final int length) {
            final int opcode = buffer.getShort(offset + FrameHeaderDescriptor.OPCODE_OFFSET,
                FrameHeaderDescriptor.BYTE_ORDER) & 0xFFFF;
            final int entries = opcode == Opcodes.APPEND_ENTRIES
                && decoder.wrap(buffer, offset, length) == ErrorCode.NONE ? decoder.entryCount() : 0;
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            sent.add(new Sent(from, to, RaftMessageDescriptor.groupId(buffer, offset), opcode, entries,
                storage[from].forces, bytes));
            return true;
        }

        void deliverAll() {
            for (int i = 0; i < 100_000 && !sent.isEmpty(); i++) {
                final Sent frame = sent.poll();
                processes[frame.to()].onMessage(new UnsafeBuffer(frame.bytes()), 0, frame.bytes().length);
            }
        }

        void run(final int ms) {
            for (int i = 0; i < ms; i++) {
                nowNs += 1_000_000L;
                for (int member = 1; member <= 3; member++) {
                    processes[member].doWork(nowNs);
                }
                deliverAll();
            }
        }

        /** Runs until every group has a leader, then hands each group's leadership to {@code target}. */
        void awaitLeadersOn(final int target) {
            run(2_000);
            for (int g = 0; g < groupCount; g++) {
                final RaftNode leader = leaderOf(g);
                assertNotNull(leader, "group " + g + " elected a leader");
                run(100);
                if (leader.memberId() != target) {
                    assertEquals(0, leader.transferLeadership(target));
                    run(100);
                }
                assertEquals(RaftNode.ROLE_LEADER, processes[target].group(g).role(), "group " + g);
            }
        }

        /** Runs every process and delivers, without moving the clock, until nothing is pending or in flight. */
        void quiesce() {
            for (int round = 0; round < 4; round++) {
                for (int member = 1; member <= 3; member++) {
                    processes[member].doWork(nowNs);
                }
                deliverAll();
            }
            assertTrue(sent.isEmpty());
        }

        private RaftNode leaderOf(final int groupId) {
            for (int member = 1; member <= 3; member++) {
                if (processes[member].group(groupId).role() == RaftNode.ROLE_LEADER) {
                    return processes[member].group(groupId);
                }
            }
            return null;
        }
    }

    /**
     * The logs of one process's groups in one write-ahead log, as a test double: each group sees its own entries,
     * and one force, by any group, makes every group's appends durable and is counted once.
     */
    private static final class SharedStorage {
        private final List<InMemoryRaftLog> logs = new ArrayList<>();
        long forces;

        RaftLog newLog() {
            final InMemoryRaftLog log = new InMemoryRaftLog();
            logs.add(log);
            return new GroupLog(this, log);
        }

        long forceAll(final InMemoryRaftLog caller) {
            forces++;
            for (final InMemoryRaftLog log : logs) {
                if (log.force() == RaftLog.FAILED) {
                    return RaftLog.FAILED;
                }
            }
            return caller.durableIndex();
        }
    }

    /** One group's view of a {@link SharedStorage}: its force forces every group's log. */
    private static final class GroupLog extends ForwardingRaftLog {
        private final SharedStorage storage;

        GroupLog(final SharedStorage storage, final InMemoryRaftLog delegate) {
            super(delegate);
            this.storage = storage;
        }

        @Override
        public long force() {
            return storage.forceAll((InMemoryRaftLog)delegate);
        }
    }

    /** Ignores callbacks. */
    private static final class QuietListener implements RaftListener {
        @Override
        public void onReadReady(final long correlationId, final long readIndex) {
            // No reads here.
        }

        @Override
        public void onReadRejected(final long correlationId) {
            // No reads here.
        }

        @Override
        public void onRoleChange(final int role, final long term, final int leaderId) {
            // Roles are read from the nodes.
        }
    }
}
