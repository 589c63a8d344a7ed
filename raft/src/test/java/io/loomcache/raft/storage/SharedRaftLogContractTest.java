package io.loomcache.raft.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.WalContext;

/** The {@link RaftLog} contract for one group of a {@link SharedRaftLog} that holds two other groups too. */
class SharedRaftLogContractTest extends RaftLogContractTest {
    private static final int[] GROUPS = {4, 7, 1};

    @TempDir
    Path directory;

    private final List<SharedRaftLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        for (final SharedRaftLog log : opened) {
            log.close();
        }
    }

    @Override
    RaftLog newLog() throws Exception {
        return open();
    }

    @Override
    RaftLog restart(final RaftLog log) throws Exception {
        opened.getLast().close();
        return open();
    }

    private RaftLog open() throws Exception {
        final SharedRaftLog log = SharedRaftLog.open(directory, GROUPS,
            new WalContext().segmentLength(WalRaftLogContractTest.SEGMENT_LENGTH), 16);
        opened.add(log);
        return log.group(7);
    }
}
