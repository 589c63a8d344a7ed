package io.loomcache.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.loomcache.raft.storage.WalRaftLog;
import io.loomcache.wal.WalContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same Raft code on the production storage: a group over {@link WalRaftLog}s in real files replicates,
 * snapshots and compacts; a member reopened from its directory comes back with its term, vote, snapshot and log
 * and catches up; the whole group restarted from disk keeps every committed entry.
 */
class RaftOnWalTest {
    @TempDir
    Path directory;

    private final WalRaftLog[] opened = new WalRaftLog[4];

    @AfterEach
    void closeLogs() {
        for (final WalRaftLog log : opened) {
            if (log != null) {
                log.close();
            }
        }
    }

    private WalRaftLog open(final int id) {
        try {
            final WalRaftLog log = WalRaftLog.open(directory.resolve("member-" + id),
                new WalContext().segmentLength(1 << 20), 256);
            opened[id] = log;
            return log;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldReplicateOnTheWalAndRecoverMembersFromTheirDirectories() {
        final ManualGroup group = new ManualGroup(c -> c.snapshotEveryEntries(50), this::open, 1, 2, 3);
        RaftNode leader = group.awaitLeader(5_000);
        for (int i = 1; i <= 120; i++) {
            group.propose(leader, i);
            group.run(1);
        }
        group.run(200);
        final int follower = leader.memberId() == 1 ? 2 : 1;
        assertTrue(group.nodes[follower].log().snapshotIndex() >= 50, "the follower compacted into a snapshot");

        group.crash(follower);
        opened[follower].close();
        group.logs[follower] = open(follower);
        final RaftNode reopened = group.start(follower);
        assertEquals(leader.term(), reopened.term(), "term recovered from the hard-state file");
        assertTrue(reopened.lastApplied() >= 50, "state machine restored from the snapshot on disk");
        for (int i = 121; i <= 150; i++) {
            group.propose(leader, i);
            group.run(1);
        }
        group.run(200);
        assertEquals(150, group.machines[follower].last);

        final long committed = leader.commitIndex();
        for (int id = 1; id <= 3; id++) {
            group.crash(id);
            opened[id].close();
            group.logs[id] = open(id);
        }
        for (int id = 1; id <= 3; id++) {
            group.start(id);
        }
        leader = group.awaitLeader(5_000);
        group.run(200);
        assertTrue(leader.commitIndex() > committed, "the new leader committed its no-op after everything before");
        for (int id = 1; id <= 3; id++) {
            assertEquals(150, group.machines[id].last, "member " + id + " after a whole-group restart");
        }
    }
}
