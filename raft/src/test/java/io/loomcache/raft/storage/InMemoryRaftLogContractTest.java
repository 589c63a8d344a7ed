package io.loomcache.raft.storage;

import io.loomcache.raft.RaftLog;

class InMemoryRaftLogContractTest extends RaftLogContractTest {
    @Override
    RaftLog newLog() {
        return new InMemoryRaftLog(64);
    }

    @Override
    RaftLog restart(final RaftLog log) {
        ((InMemoryRaftLog)log).crash();
        return log;
    }
}
