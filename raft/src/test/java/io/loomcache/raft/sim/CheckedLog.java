package io.loomcache.raft.sim;

import io.loomcache.raft.ForwardingRaftLog;
import io.loomcache.raft.storage.InMemoryRaftLog;

import org.agrona.DirectBuffer;

/**
 * The simulated member's storage: an {@link InMemoryRaftLog} (crash loses what was not forced) that reports every
 * append to the {@link Invariants} so the Log Matching property is checked as entries arrive.
 */
final class CheckedLog extends ForwardingRaftLog {
    /** Called when a force is interrupted by a crash. */
    interface CrashHook {
        void crashInForce(int member);
    }

    /**
     * Thrown out of a force that the simulation turned into a crash: it unwinds the member's code at once, as the
     * death of its process would; the simulation catches it around every call into a member.
     */
    static final class MemberCrashed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MemberCrashed(final int member) {
            super("member " + member + " crashed inside a force", null, false, false);
        }
    }

    /** The storage itself, which a restarted member's log wraps again. */
    final InMemoryRaftLog memory;
    private final int member;
    private final Invariants invariants;
    private final CrashHook crashHook;
    /** Crash the member inside its next force, after it sent what it sent and before anything is durable. */
    boolean crashAtNextForce;

    CheckedLog(final int member, final Invariants invariants, final CrashHook crashHook) {
        this(member, invariants, crashHook, new InMemoryRaftLog(4096));
    }

    /** A restarted member's view of the storage its previous incarnation left. */
    CheckedLog(final int member, final Invariants invariants, final CrashHook crashHook,
        final InMemoryRaftLog memory) {
        super(memory);
        this.memory = memory;
        this.member = member;
        this.invariants = invariants;
        this.crashHook = crashHook;
    }

    @Override
    public boolean append(final long index, final long term, final int type, final DirectBuffer src,
        final int offset, final int length) {
        final boolean appended = delegate.append(index, term, type, src, offset, length);
        if (appended) {
            invariants.onAppend(member, index, term, type, src, offset, length);
        }
        return appended;
    }

    @Override
    public long force() {
        if (crashAtNextForce) {
            crashAtNextForce = false;
            crashHook.crashInForce(member);
            throw new MemberCrashed(member);
        }
        return delegate.force();
    }
}
