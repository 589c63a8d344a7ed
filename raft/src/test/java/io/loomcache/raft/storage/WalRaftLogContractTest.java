package io.loomcache.raft.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.WalContext;

class WalRaftLogContractTest extends RaftLogContractTest {
    /** Small segments so that the contract tests roll segments and snapshots delete them. */
    static final int SEGMENT_LENGTH = 16 * 1024;

    @TempDir
    Path directory;

    private final List<WalRaftLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        for (final WalRaftLog log : opened) {
            log.close();
        }
    }

    @Override
    RaftLog newLog() throws Exception {
        return open();
    }

    @Override
    RaftLog restart(final RaftLog log) throws Exception {
        ((WalRaftLog)log).close();
        return open();
    }

    private WalRaftLog open() throws Exception {
        final WalRaftLog log = WalRaftLog.open(directory, new WalContext().segmentLength(SEGMENT_LENGTH), 16);
        opened.add(log);
        return log;
    }
}
