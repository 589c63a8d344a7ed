package io.loomcache.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.raft.AppendEntriesEncoder;
import io.loomcache.protocol.raft.AppendEntriesResponseDecoder;
import io.loomcache.protocol.raft.AppendEntriesResponseEncoder;
import io.loomcache.protocol.raft.VoteRequestEncoder;
import io.loomcache.protocol.raft.VoteResponseDecoder;
import io.loomcache.protocol.raft.VoteResponseEncoder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Directed regressions for bugs that shipped in real Raft libraries: a vote granted before it was durable, a
 * heartbeat response treated as proof of replication, and an old leader whose log is a snapshot plus entries it
 * never replicated.
 */
class RaftRegressionTest {
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);

    @Test
    void shouldNotGrantASecondVoteInATermAfterACrash() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        assertTrue(requestVote(group, 2, 1, 5), "member 2 votes for the first candidate of term 5");
        group.crash(2);
        group.start(2);
        assertEquals(5, group.nodes[2].term(), "the term survived the crash");
        assertEquals(1, group.nodes[2].votedFor(), "the vote survived the crash");
        assertFalse(requestVote(group, 2, 3, 5), "a second candidate of term 5 gets no vote after the restart");
    }

    @Test
    void whenTheStoreLosesAnUnforcedVote_thenTheSameScenarioGrantsTwoVotesInOneTerm() {
        // The scenario above against storage that acknowledges term and vote without forcing them: it shows the
        // test detects the bug (two votes in term 5 would let two leaders be elected in it).
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        group.memoryLog(2).setHardStateDurable(false);
        assertTrue(requestVote(group, 2, 1, 5));
        group.crash(2);
        group.start(2);
        assertTrue(requestVote(group, 2, 3, 5), "without a forced vote the restarted member votes again");
    }

    @Test
    void shouldReportOnlyTheVerifiedIndexWhenAHeartbeatMeetsStaleEntries() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        // Member 2 holds entries 2..4 of an old term 2 that the leader of term 3 never had.
        group.crash(2);
        final RaftLog log = group.logs[2];
        log.persistTermAndVote(2, RaftLog.NO_VOTE);
        log.append(1, 1, EntryType.COMMAND, frame, 0, 8);
        for (long index = 2; index <= 4; index++) {
            log.append(index, 2, EntryType.COMMAND, frame, 0, 8);
        }
        log.force();
        final RaftNode follower = group.start(2);

        final int length = new AppendEntriesEncoder().wrap(frame, 0).groupId(1).senderId(1).term(3).prevLogIndex(1)
            .prevLogTerm(1).leaderCommit(2).seq(9).frameLength();
        follower.onMessage(frame, 0, length);
        follower.doWork(group.nowNs);

        final ManualGroup.Frame reply = group.outbox.poll();
        final AppendEntriesResponseDecoder response = new AppendEntriesResponseDecoder();
        assertEquals(ErrorCode.NONE, response.wrap(new UnsafeBuffer(reply.bytes()), 0, reply.bytes().length));
        assertTrue(response.success());
        assertEquals(1, response.matchIndex(), "only index 1 was verified by the consistency check");
        assertEquals(9, response.seq());
        assertEquals(1, follower.commitIndex(), "leaderCommit 2 must not commit the follower's stale entry 2");
        assertEquals(4, log.lastIndex(), "a heartbeat truncates nothing (§5.3: only a conflict does)");
    }

    @Test
    void shouldNotAdvanceMatchIndexFromAFollowersLastLogIndex() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        final long base = leader.commitIndex();
        final int follower = leader.memberId() == 1 ? 2 : 1;
        final int other = 6 - leader.memberId() - follower;
        group.isolated[follower] = true;
        group.isolated[other] = true;
        for (int i = 0; i < 3; i++) {
            group.propose(leader, i);
        }
        group.run(1);
        final int length = new AppendEntriesResponseEncoder().wrap(frame, 0).groupId(1).senderId(follower)
            .term(leader.term()).matchIndex(base).lastLogIndex(base + 3).seq(0).success(true).frameLength();
        leader.onMessage(frame, 0, length);
        assertEquals(base, leader.matchIndexOf(follower), "matchIndex follows the verified index, not lastLogIndex");
        assertEquals(base, leader.commitIndex(), "nothing new is committed on a heartbeat's word");
    }

    @Test
    void shouldBringBackAnOldLeaderWhoseLogIsASnapshotPlusUnreplicatedEntries() {
        final ManualGroup group = new ManualGroup(c -> c.preVote(true).snapshotEveryEntries(10), 1, 2, 3);
        final RaftNode oldLeader = group.awaitLeader(5_000);
        final int old = oldLeader.memberId();
        for (int i = 1; i <= 25; i++) {
            group.propose(oldLeader, i);
            group.run(2);
        }
        group.run(100);
        assertTrue(oldLeader.log().snapshotIndex() >= 10, "the old leader has compacted into a snapshot");
        group.isolated[old] = true;
        for (int i = 0; i < 5; i++) {
            assertTrue(group.propose(oldLeader, 1000 + i) > 0, "the isolated leader still takes proposals");
        }
        final long firstUnreplicated = oldLeader.log().lastIndex() - 4;
        final long oldLastIndex = oldLeader.log().lastIndex();
        final long oldTerm = oldLeader.term();
        group.run(2_000);
        final RaftNode newLeader = group.leader();
        assertNotEquals(old, newLeader.memberId());
        for (int i = 1; i <= 40; i++) {
            group.propose(newLeader, 2000 + i);
            group.run(2);
        }
        group.run(100);
        assertTrue(newLeader.log().firstIndex() > oldLastIndex, "the new leader compacted past the old log");

        group.isolated[old] = false;
        group.run(2_000);
        final RaftNode rejoined = group.nodes[old];
        assertEquals(RaftNode.ROLE_FOLLOWER, rejoined.role());
        assertEquals(newLeader.commitIndex(), rejoined.lastApplied());
        assertTrue(rejoined.log().snapshotIndex() >= oldLastIndex, "it was brought back by InstallSnapshot");
        assertEquals(group.machines[newLeader.memberId()].last, group.machines[old].last);
        assertEquals(group.machines[newLeader.memberId()].applied, group.machines[old].applied);
        for (long index = firstUnreplicated; index <= rejoined.log().lastIndex(); index++) {
            if (index >= rejoined.log().firstIndex()) {
                assertNotEquals(oldTerm, rejoined.log().termAt(index), "entry " + index + " of the old term is gone");
            }
        }
    }

    @Test
    void shouldNotCommitAnEntryOfAnEarlierTermByCountingReplicas() {
        // Figure 8: member 1 leads term 3 with an entry of term 1 at index 2 that member 2 also holds. Member 2's
        // acknowledgement puts index 2 on a majority, yet it must not commit until an entry of term 3 does (§5.4.2):
        // a member with a later-term entry at index 2 could still be elected and overwrite it.
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        for (int id = 1; id <= 3; id++) {
            group.crash(id);
            final RaftLog log = group.logs[id];
            log.persistTermAndVote(2, RaftLog.NO_VOTE);
            log.append(1, 1, EntryType.COMMAND, frame, 0, 8);
            if (id != 3) {
                log.append(2, 1, EntryType.COMMAND, frame, 0, 8);
            }
            log.force();
            group.start(id);
        }
        final RaftNode leader = group.nodes[1];
        group.nowNs += 2_000_000_000L;
        leader.doWork(group.nowNs);
        assertEquals(RaftNode.ROLE_CANDIDATE, leader.role());
        assertEquals(3, leader.term());
        group.outbox.clear();
        final int voteLength = new VoteResponseEncoder().wrap(frame, 0).opcode(Opcodes.VOTE_RESPONSE).groupId(1)
            .senderId(3).term(3).granted(true).frameLength();
        leader.onMessage(frame, 0, voteLength);
        assertEquals(RaftNode.ROLE_LEADER, leader.role());
        leader.doWork(group.nowNs);
        assertEquals(3, leader.log().lastIndex(), "the new leader appended its no-op at index 3");

        final AppendEntriesResponseEncoder ack = new AppendEntriesResponseEncoder();
        leader.onMessage(frame, 0, ack.wrap(frame, 0).groupId(1).senderId(2).term(3).matchIndex(2).lastLogIndex(2)
            .seq(1).success(true).frameLength());
        assertEquals(2, leader.matchIndexOf(2));
        assertEquals(0, leader.commitIndex(), "an entry of term 1 is not committed by counting replicas in term 3");
        leader.onMessage(frame, 0, ack.wrap(frame, 0).groupId(1).senderId(2).term(3).matchIndex(3).lastLogIndex(3)
            .seq(2).success(true).frameLength());
        assertEquals(3, leader.commitIndex(), "the term-3 no-op commits, and index 2 with it");
    }

    @Test
    void shouldNotCountAVoteGrantedInAnEarlierTerm() {
        // A grant for term 2 that arrives late, while the candidate runs in term 3, says nothing about term 3: its
        // sender may have voted for someone else in term 3, and counting it could elect two leaders in one term.
        final ManualGroup group = new ManualGroup(c -> c.preVote(false), 1, 2, 3);
        final RaftNode candidate = group.nodes[1];
        for (int round = 0; round < 2; round++) {
            group.nowNs += 2_000_000_000L;
            candidate.doWork(group.nowNs);
        }
        group.outbox.clear();
        assertEquals(RaftNode.ROLE_CANDIDATE, candidate.role());
        final long term = candidate.term();
        final int length = new VoteResponseEncoder().wrap(frame, 0).opcode(Opcodes.VOTE_RESPONSE).groupId(1)
            .senderId(2).term(term - 1).granted(true).frameLength();
        candidate.onMessage(frame, 0, length);
        assertEquals(RaftNode.ROLE_CANDIDATE, candidate.role(), "a stale grant does not make a leader");
        candidate.onMessage(frame, 0, new VoteResponseEncoder().wrap(frame, 0).opcode(Opcodes.VOTE_RESPONSE)
            .groupId(1).senderId(2).term(term).granted(true).frameLength());
        assertEquals(RaftNode.ROLE_LEADER, candidate.role(), "a grant for the current term does");
    }

    @Test
    void shouldAdoptAHigherTermFromAnyReplyAndStepDown() {
        // §5.1: a reply carrying a later term, even a refused (pre-)vote, makes the member adopt it and follow.
        for (final boolean preVote : new boolean[] {false, true}) {
            final ManualGroup group = new ManualGroup(c -> c.preVote(preVote), 1, 2, 3);
            final RaftNode member = group.nodes[1];
            group.nowNs += 2_000_000_000L;
            member.doWork(group.nowNs);
            final long term = member.term();
            final int opcode = preVote ? Opcodes.PRE_VOTE_RESPONSE : Opcodes.VOTE_RESPONSE;
            member.onMessage(frame, 0, new VoteResponseEncoder().wrap(frame, 0).opcode(opcode).groupId(1).senderId(2)
                .term(term + 1).granted(false).frameLength());
            assertEquals(term + 1, member.term(), "pre-vote " + preVote);
            assertEquals(RaftNode.ROLE_FOLLOWER, member.role());
            assertEquals(term + 1, group.logs[1].currentTerm(), "the adopted term is persisted");
        }
    }

    @Test
    void shouldRecoverAFollowerWhosePipelinedAppendsWereLostWhileItsHeartbeatsGotThrough() {
        // Found by the simulation (seeds 6167, 15292, 16208): with the pipelining window full of lost appends and
        // heartbeats still acknowledged, the leader took the acknowledgements as progress and never resent; the
        // follower stayed behind forever. The leader now re-probes when the match index stalls.
        final ManualGroup group = new ManualGroup(c -> c.maxInflightAppends(2), 1, 2, 3);
        final RaftNode leader = group.awaitLeader(5_000);
        group.run(100);
        final int follower = leader.memberId() == 1 ? 2 : 1;
        group.loseEntries[leader.memberId()][follower] = true;
        for (int i = 1; i <= 10; i++) {
            group.propose(leader, i);
            group.run(1);
        }
        group.run(200);
        assertTrue(group.nodes[follower].lastApplied() < leader.commitIndex(), "the follower fell behind");
        group.loseEntries[leader.memberId()][follower] = false;
        group.run(500);
        assertEquals(leader.commitIndex(), group.nodes[follower].lastApplied(), "and caught up once appends flow");
        assertEquals(10, group.machines[follower].last);
    }

    private boolean requestVote(final ManualGroup group, final int voter, final int candidate, final long term) {
        // Past the minimum election timeout since the voter started: it heard from no leader since, so it may vote.
        group.nowNs += 1_000_000_000L;
        final int length = new VoteRequestEncoder().wrap(frame, 0).opcode(Opcodes.VOTE_REQUEST).groupId(1)
            .senderId(candidate).term(term).lastLogIndex(0).lastLogTerm(0).voteFlags(0).frameLength();
        group.nodes[voter].onMessage(frame, 0, length);
        final ManualGroup.Frame reply = group.outbox.pollLast();
        assertEquals(Opcodes.VOTE_RESPONSE, reply.opcode());
        assertEquals(candidate, reply.to());
        final VoteResponseDecoder response = new VoteResponseDecoder();
        assertEquals(ErrorCode.NONE, response.wrap(new UnsafeBuffer(reply.bytes()), 0, reply.bytes().length));
        return response.granted();
    }
}
