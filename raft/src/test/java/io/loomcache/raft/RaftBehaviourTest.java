package io.loomcache.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcache.raft.storage.InMemoryRaftLog;

import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.raft.VoteRequestEncoder;
import io.loomcache.protocol.raft.VoteResponseDecoder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Directed tests of elections, pre-vote, leadership transfer, reads and membership on a hand-driven group with the
 * default timeouts (election 300-600 ms, heartbeat 50 ms).
 */
class RaftBehaviourTest {
    @Test
    void whenTheLeaderStops_thenAnotherMemberIsElectedAndHasEveryCommittedEntry() {
        final ManualGroup group = new ManualGroup(c -> c, 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        for (int i = 1; i <= 10; i++) {
            group.propose(leader, i);
        }
        group.run(100);
        final long committed = leader.commitIndex();
        group.crash(leader.memberId());
        final RaftNode next = group.awaitLeader(5_000);
        assertNotEquals(leader.memberId(), next.memberId());
        assertTrue(next.term() > leader.term());
        assertTrue(next.log().lastIndex() >= committed);
        group.run(100);
        assertEquals(10, group.machines[next.memberId()].last);
    }

    @Test
    void shouldElectItselfWhenItIsTheOnlyVoter() {
        final ManualGroup group = new ManualGroup(c -> c, 1);
        final RaftNode leader = group.awaitLeader(2_000);
        assertTrue(group.propose(leader, 5) > 0);
        group.run(5);
        assertEquals(5, group.machines[1].last);
    }

    @Test
    void whenAVoterRestarts_thenItStillRefusesVotesForTheMinimumElectionTimeout() {
        // The voter may have acknowledged the leader just before it stopped, and that acknowledgement may be
        // part of the leader's lease: it must not vote for anyone else until the lease is surely over.
        final ManualGroup group = new ManualGroup(c -> c, 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        final int voter = leader.memberId() == 1 ? 2 : 1;
        final int candidate = 6 - leader.memberId() - voter;
        group.crash(voter);
        final RaftNode restarted = group.start(voter);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final VoteRequestEncoder request = new VoteRequestEncoder();
        final long lastIndex = group.nodes[candidate].log().lastIndex();
        final long lastTerm = group.nodes[candidate].log().termAt(lastIndex);
        for (final int opcode : new int[] {Opcodes.PRE_VOTE_REQUEST, Opcodes.VOTE_REQUEST}) {
            final int length = request.wrap(frame, 0).opcode(opcode).groupId(1).senderId(candidate)
                .term(leader.term() + 1).lastLogIndex(lastIndex).lastLogTerm(lastTerm).voteFlags(0).frameLength();
            restarted.onMessage(frame, 0, length);
            final VoteResponseDecoder response = new VoteResponseDecoder();
            final byte[] reply = group.outbox.pollLast().bytes();
            response.wrap(new UnsafeBuffer(reply), 0, reply.length);
            assertFalse(response.granted(), "opcode " + opcode + " refused right after the restart");
        }
        assertEquals(leader.term(), restarted.term(), "the refused request did not raise its term");
    }

    @Test
    void whenATimeoutNowWasSent_thenTheLeaseIsNotUsedForTheRestOfTheTerm() {
        final ManualGroup group = new ManualGroup(c -> c.leaseReads(true), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        final int target = leader.memberId() == 1 ? 2 : 1;
        assertEquals(0, leader.transferLeadership(target));
        group.outbox.removeIf(frame -> frame.opcode() == Opcodes.TIMEOUT_NOW);
        group.run(700);
        assertEquals(RaftNode.ROLE_LEADER, leader.role(), "the lost TimeoutNow left the leader in place");
        assertTrue(group.propose(leader, 1) > 0, "the abandoned transfer no longer blocks proposals");
        for (int id = 1; id <= 3; id++) {
            group.isolated[id] = id != leader.memberId();
        }
        assertEquals(0, leader.read(1, true));
        leader.doWork(group.nowNs);
        assertFalse(group.readsReady.contains(1L), "the TimeoutNow may still arrive: no lease reads this term");
    }

    @Test
    void whenAPartitionedMemberRejoins_thenPreVoteKeepsTheLeaderAndTerm() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(true), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        final long term = leader.term();
        final int follower = leader.memberId() == 1 ? 2 : 1;
        group.isolated[follower] = true;
        group.run(3_000);
        assertEquals(term, group.nodes[follower].term(), "pre-vote rounds never raise the isolated member's term");
        group.isolated[follower] = false;
        group.run(1_000);
        assertEquals(RaftNode.ROLE_LEADER, leader.role());
        assertEquals(term, leader.term(), "the healthy leader was not disrupted");
    }

    @Test
    void whenOnlyTheLeadersMessagesToAFollowerAreLost_thenThatFollowerCannotTakeOver() {
        // Dissertation §4.2.3: members that heard from a leader within the minimum election timeout ignore
        // (pre-)vote requests, so a member cut off from the leader alone cannot win the others' votes. Without it the
        // leader would be deposed while its lease, acknowledged by the others, still runs.
        final ManualGroup group = new ManualGroup(c -> c, 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        final long term = leader.term();
        final int follower = leader.memberId() == 1 ? 2 : 1;
        group.blocked[leader.memberId()][follower] = true;
        group.run(3_000);
        assertEquals(RaftNode.ROLE_LEADER, leader.role());
        assertEquals(term, leader.term());
        assertEquals(term, group.nodes[follower].term(), "its pre-votes never succeed, so its term stays");
    }

    @Test
    void whenPreVoteIsOff_thenTheRejoiningMemberDisruptsTheLeader() {
        // The contrast that shows what pre-vote buys (§9.6): without it the isolated member's term runs ahead and
        // its first answer to the leader makes the leader step down.
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        final long term = leader.term();
        final int follower = leader.memberId() == 1 ? 2 : 1;
        group.isolated[follower] = true;
        group.run(3_000);
        assertTrue(group.nodes[follower].term() > term);
        group.isolated[follower] = false;
        group.run(1_000);
        assertTrue(group.awaitLeader(5_000).term() > term, "a new term was forced on the group");
    }

    @Test
    void shouldTransferLeadershipWithTimeoutNowAndRefuseProposalsMeanwhile() {
        final ManualGroup group = new ManualGroup(c -> c, 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        final int target = leader.memberId() == 3 ? 1 : 3;
        assertEquals(0, leader.transferLeadership(target));
        assertEquals(RaftNode.BACK_PRESSURED, group.propose(leader, 1), "no proposals while transferring");
        group.run(10);
        assertEquals(RaftNode.ROLE_LEADER, group.nodes[target].role(), "the target leads well within a timeout");
        assertEquals(RaftNode.ROLE_FOLLOWER, leader.role());
        assertTrue(group.propose(group.nodes[target], 2) > 0);
        assertEquals(RaftNode.INVALID_ARGUMENT, group.nodes[target].transferLeadership(9));
    }

    @Test
    void shouldAnswerReadIndexOnlyAfterAQuorumConfirmsLeadership() {
        final ManualGroup group = new ManualGroup(c -> c.leaseReads(false), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        assertEquals(0, leader.read(1, true));
        group.run(5);
        assertTrue(group.readsReady.contains(1L), "with a quorum reachable the read is served");

        for (int id = 1; id <= 3; id++) {
            group.isolated[id] = id != leader.memberId();
        }
        assertEquals(0, leader.read(2, true));
        group.run(200);
        assertFalse(group.readsReady.contains(2L), "an isolated leader cannot confirm it still leads");
        group.run(1_000);
        assertTrue(group.readsRejected.contains(2L), "the read is rejected once the leader steps down");
        assertEquals(RaftNode.NOT_LEADER, leader.read(3, false));
    }

    @Test
    void shouldServeLeaseReadsWithoutAHeartbeatRoundOnlyWhileTheLeaseLasts() {
        final ManualGroup group = new ManualGroup(c -> c.leaseReads(true), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        for (int id = 1; id <= 3; id++) {
            group.isolated[id] = id != leader.memberId();
        }
        assertEquals(0, leader.read(10, true));
        leader.doWork(group.nowNs);
        assertTrue(group.readsReady.contains(10L), "a valid lease answers with no message exchanged");

        group.nowNs += 300_000_000L;
        assertEquals(0, leader.read(11, true));
        leader.doWork(group.nowNs);
        assertFalse(group.readsReady.contains(11L), "the lease is judged by the clock at the read, not the last"
            + " duty cycle's: past the lease a read needs a quorum round again");
    }

    @Test
    void shouldAddALearnerPromoteItAndRemoveTheLeader() {
        final ManualGroup group = new ManualGroup(c -> c.snapshotEveryEntries(20), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        for (int i = 1; i <= 50; i++) {
            group.propose(leader, i);
            group.run(1);
        }
        group.logs[4] = new InMemoryRaftLog();
        group.startJoiner(4);
        assertEquals(RaftNode.INVALID_ARGUMENT, leader.promote(4), "only a learner can be promoted");
        final long learnerIndex = leader.addLearner(4);
        assertTrue(learnerIndex > 0);
        assertEquals(RaftNode.BACK_PRESSURED, leader.addLearner(5), "one change at a time");
        group.run(500);
        assertTrue(group.nodes[4].configuration().isLearner(4));
        assertEquals(50, group.machines[4].last, "the learner caught up (through a snapshot)");
        assertEquals(leader.commitIndex(), group.nodes[4].lastApplied());
        assertTrue(group.nodes[4].log().snapshotIndex() > 0);

        assertTrue(leader.promote(4) > 0);
        group.run(100);
        assertEquals(4, leader.configuration().voterCount());
        assertTrue(leader.removeMember(leader.memberId()) > 0);
        group.run(2_000);
        assertEquals(RaftNode.ROLE_FOLLOWER, leader.role(), "a removed leader steps down once the change commits");
        final RaftNode next = group.awaitLeader(5_000);
        assertFalse(next.configuration().contains(leader.memberId()));
        assertTrue(group.propose(next, 99) > 0);
        group.run(100);
        assertEquals(99, group.machines[4].last);
    }
}
