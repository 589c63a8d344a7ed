package io.loomcache.raft;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Membership of one group (dissertation §4.1, single-server changes): a configuration takes effect as soon as its
 * entry is appended, committed or not; a truncated configuration entry reverts to the previous one; only one
 * change may be uncommitted, and a new leader makes none before an entry of its own term is committed (the fix to
 * the single-server algorithm published on raft-dev in 2015). Owned by the group's thread; allocates only when the
 * configuration changes.
 */
final class Membership {
    private final RaftNode node;
    private final Configuration initial;
    private final ExpandableDirectByteBuffer scratch = new ExpandableDirectByteBuffer(256);
    private Configuration current;
    private long currentIndex;
    private Configuration snapshotConfiguration;
    private long snapshotIndex;
    private Configuration applied;

    Membership(final RaftNode node, final Configuration initial) {
        this.node = node;
        this.initial = initial;
        this.current = initial;
        this.snapshotConfiguration = initial;
        this.applied = initial;
    }

    Configuration configuration() {
        return current;
    }

    /** @return the configuration as of the last applied entry (what a snapshot records). */
    Configuration appliedConfiguration() {
        return applied;
    }

    int voterPosition(final int id) {
        for (int i = 0; i < current.voterCount(); i++) {
            if (current.voter(i) == id) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------------ changes

    long addLearner(final int id) {
        final long refused = refuseChange();
        if (refused != 0) {
            return refused;
        }
        if (id < 0 || current.contains(id)) {
            return RaftNode.INVALID_ARGUMENT;
        }
        return propose(current.withLearner(id));
    }

    long promote(final int id) {
        final long refused = refuseChange();
        if (refused != 0) {
            return refused;
        }
        if (!current.isLearner(id)) {
            return RaftNode.INVALID_ARGUMENT;
        }
        return propose(current.promote(id));
    }

    long remove(final int id) {
        final long refused = refuseChange();
        if (refused != 0) {
            return refused;
        }
        if (!current.contains(id) || (current.isVoter(id) && current.voterCount() == 1)) {
            return RaftNode.INVALID_ARGUMENT;
        }
        return propose(current.without(id));
    }

    private long refuseChange() {
        if (node.role != RaftNode.ROLE_LEADER) {
            return RaftNode.NOT_LEADER;
        }
        if (currentIndex > node.commitIndex || node.commitIndex < node.replicator.termStartIndex()
            || node.replicator.transferring()) {
            return RaftNode.BACK_PRESSURED;
        }
        return 0;
    }

    private long propose(final Configuration next) {
        if (next.voterCount() + next.learnerCount() > ConfigurationDescriptor.MAX_MEMBERS) {
            return RaftNode.INVALID_ARGUMENT;
        }
        final int length = next.encode(scratch, 0);
        final long index = node.replicator.propose(EntryType.CONFIG, scratch, 0, length);
        if (index > 0) {
            setCurrent(next, index);
        }
        return index;
    }

    private void setCurrent(final Configuration configuration, final long index) {
        current = configuration;
        currentIndex = index;
        if (node.role == RaftNode.ROLE_LEADER) {
            node.replicator.onConfigurationChanged(configuration);
        }
    }

    // ------------------------------------------------------------------------------------------------ log events

    void onConfigAppended(final long index, final DirectBuffer buffer, final int offset, final int length) {
        final Configuration configuration = Configuration.decode(buffer, offset, length);
        if (configuration != null) {
            setCurrent(configuration, index);
        }
    }

    void onTruncated(final long lastKept) {
        if (currentIndex > lastKept) {
            recoverFromLog();
        }
    }

    void onSnapshotRestored(final Configuration configuration, final long index) {
        snapshotConfiguration = configuration;
        snapshotIndex = index;
        applied = configuration;
    }

    void onSnapshotTaken(final long index) {
        snapshotConfiguration = applied;
        snapshotIndex = index;
    }

    void onConfigCommitted(final long index) {
        final Configuration configuration = read(index);
        if (configuration == null) {
            return;
        }
        applied = configuration;
        // §4.2.2: a leader that is no longer a voter steps down once the configuration without it is committed.
        if (node.role == RaftNode.ROLE_LEADER && !configuration.isVoter(node.memberId)) {
            node.becomeFollower(node.currentTerm, -1);
        }
    }

    /**
     * Finds the configuration in effect: the last configuration entry in the log, else the snapshot's, else the
     * initial one. Scans the log backwards, so it runs on recovery and on truncation only.
     */
    void recoverFromLog() {
        final RaftLog log = node.log;
        Configuration found = null;
        long foundIndex = 0;
        for (long index = log.lastIndex(); index >= log.firstIndex() && index > log.snapshotIndex(); index--) {
            if (log.entryType(index) == EntryType.CONFIG) {
                found = read(index);
                foundIndex = index;
                if (found != null) {
                    break;
                }
            }
        }
        if (found == null) {
            final boolean fromSnapshot = log.snapshotIndex() > 0 && snapshotIndex == log.snapshotIndex();
            found = fromSnapshot ? snapshotConfiguration : initial;
            foundIndex = fromSnapshot ? snapshotIndex : 0;
        }
        setCurrent(found, foundIndex);
    }

    private Configuration read(final long index) {
        final RaftLog log = node.log;
        if (index < log.firstIndex() || index > log.lastIndex()) {
            return null;
        }
        final int length = log.entryLength(index);
        scratch.checkLimit(length);
        log.copyEntry(index, scratch, 0);
        return Configuration.decode(scratch, 0, length);
    }
}
