package io.loomcache.raft.storage;

import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import io.loomcache.raft.RaftLog;

/**
 * A {@link RaftLog} in memory that behaves like a disk across a simulated crash: {@link #crash()} keeps exactly what
 * a restarted member would find (entries up to {@link #durableIndex()}, the last persisted term and vote, the latest
 * snapshot) and the same object is then reused by the restarted member. Used by the deterministic simulation and by
 * benchmarks.
 * <p>
 * Entries' payloads sit back to back in one direct buffer, with primitive arrays for each entry's term, type, offset
 * and length, indexed from {@link #firstIndex()}. Both grow geometrically; a snapshot compacts the prefix away
 * (the suffix is moved to the front), so a long run with periodic snapshots stays bounded. Append, termAt,
 * entryType, entryLength, copyEntry, force, truncateAfter and a snapshot that fits the buffer already grown allocate
 * nothing.
 * <p>
 * Durability: {@link #force()} makes everything appended durable; {@link #truncateAfter}, the snapshots and (unless
 * {@link #setHardStateDurable(boolean)} turned it off) {@link #persistTermAndVote} are durable at once. Fault knob:
 * {@link #failNextForce()}. A caller that breaks the contract (wrong append index, index out of range) gets an
 * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}: that is a bug, not a storage failure.
 * <p>
 * Not thread safe: owned by the thread driving the member.
 */
public final class InMemoryRaftLog extends AbstractRaftLog {
    /** Default initial capacity of the payload buffer, in bytes. */
    public static final int DEFAULT_INITIAL_CAPACITY_BYTES = 64 * 1024;

    private static final int INITIAL_ENTRY_CAPACITY = 64;

    private final ExpandableDirectByteBuffer payloads;
    private final ExpandableDirectByteBuffer snapshot;
    private long[] terms = new long[INITIAL_ENTRY_CAPACITY];
    private int[] types = new int[INITIAL_ENTRY_CAPACITY];
    private int[] offsets = new int[INITIAL_ENTRY_CAPACITY];
    private int[] lengths = new int[INITIAL_ENTRY_CAPACITY];
    /** Number of entries held, at {@code snapshotIndex + 1 ..}. */
    private int count;
    /** End of the last entry's payload in {@link #payloads}. */
    private int payloadTail;

    private long durableIndex;

    private long currentTerm;
    private int votedFor = NO_VOTE;
    private long durableTerm;
    private int durableVote = NO_VOTE;
    private boolean hardStateDurable = true;

    private boolean failNextForce;
    private long forceCount;

    /**
     * Creates an empty log with {@link #DEFAULT_INITIAL_CAPACITY_BYTES} of payload room.
     */
    public InMemoryRaftLog() {
        this(DEFAULT_INITIAL_CAPACITY_BYTES);
    }

    /**
     * Creates an empty log.
     *
     * @param initialCapacityBytes initial room for payloads, in bytes (grows on demand); at least 1.
     */
    public InMemoryRaftLog(final int initialCapacityBytes) {
        if (initialCapacityBytes < 1) {
            throw new IllegalArgumentException("initialCapacityBytes must be positive: " + initialCapacityBytes);
        }
        payloads = new ExpandableDirectByteBuffer(initialCapacityBytes);
        snapshot = new ExpandableDirectByteBuffer(initialCapacityBytes);
    }

    @Override
    public long lastIndex() {
        return snapshotIndex() + count;
    }

    @Override
    long entryTerm(final long index) {
        return terms[(int)(index - snapshotIndex() - 1)];
    }

    @Override
    public int entryType(final long index) {
        return types[slot(index)];
    }

    @Override
    public int entryLength(final long index) {
        return lengths[slot(index)];
    }

    @Override
    public int copyEntry(final long index, final MutableDirectBuffer dst, final int dstOffset) {
        final int slot = slot(index);
        final int length = lengths[slot];
        dst.putBytes(dstOffset, payloads, offsets[slot], length);
        return length;
    }

    @Override
    boolean appendEntry(
        final long index, final long term, final int type, final DirectBuffer src, final int offset,
        final int length) {
        if (length > ExpandableDirectByteBuffer.MAX_BUFFER_LENGTH - payloadTail) {
            return false;
        }
        if (count == terms.length) {
            growEntries();
        }
        payloads.putBytes(payloadTail, src, offset, length);
        terms[count] = term;
        types[count] = type;
        offsets[count] = payloadTail;
        lengths[count] = length;
        payloadTail += length;
        count++;
        return true;
    }

    @Override
    boolean truncateEntriesAfter(final long index) {
        keepEntries((int)(index - snapshotIndex()));
        durableIndex = Math.min(durableIndex, index);
        return true;
    }

    @Override
    long forceEntries() {
        forceCount++;
        if (failNextForce) {
            failNextForce = false;
            fail();
            return FAILED;
        }
        durableIndex = lastIndex();
        return durableIndex;
    }

    @Override
    public long durableIndex() {
        return durableIndex;
    }

    @Override
    public long currentTerm() {
        return currentTerm;
    }

    @Override
    public int votedFor() {
        return votedFor;
    }

    @Override
    boolean writeTermAndVote(final long term, final int votedFor) {
        this.currentTerm = term;
        this.votedFor = votedFor;
        if (hardStateDurable) {
            durableTerm = term;
            durableVote = votedFor;
        }
        return true;
    }

    @Override
    void copySnapshotBytes(final int position, final MutableDirectBuffer dst, final int dstOffset, final int length) {
        dst.putBytes(dstOffset, snapshot, position, length);
    }

    @Override
    boolean compactTo(final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        final int drop = (int)(index - snapshotIndex());
        final int keep = count - drop;
        final int shift = drop == count ? payloadTail : offsets[drop];
        if (keep > 0) {
            payloads.putBytes(0, payloads, shift, payloadTail - shift);
            System.arraycopy(terms, drop, terms, 0, keep);
            System.arraycopy(types, drop, types, 0, keep);
            System.arraycopy(lengths, drop, lengths, 0, keep);
            for (int i = 0; i < keep; i++) {
                offsets[i] = offsets[i + drop] - shift;
            }
        }
        count = keep;
        payloadTail -= shift;
        storeSnapshot(index, term, data, offset, length);
        durableIndex = Math.max(durableIndex, index);
        return true;
    }

    @Override
    boolean resetTo(final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        count = 0;
        payloadTail = 0;
        storeSnapshot(index, term, data, offset, length);
        durableIndex = index;
        return true;
    }

    /**
     * Returns the log to what a restarted member would find: entries above {@link #durableIndex()} are gone, the
     * term and vote are the last durable ones, the snapshot stays. A failed log (see {@link #failNextForce()}) works
     * again, as storage reopened after a restart does.
     */
    public void crash() {
        crash(0);
    }

    /**
     * Like {@link #crash()}, but the first {@code unforcedSurvivors} entries above {@link #durableIndex()} survive,
     * as when the kernel wrote some dirty pages before the process died (a write-ahead log recovers a prefix); they
     * are durable afterwards.
     *
     * @param unforcedSurvivors how many unforced entries to keep, from the oldest; 0 keeps none.
     */
    public void crash(final int unforcedSurvivors) {
        final long keepTo = Math.min(lastIndex(), durableIndex + Math.max(0, unforcedSurvivors));
        if (keepTo < lastIndex()) {
            keepEntries((int)(keepTo - snapshotIndex()));
        }
        durableIndex = keepTo;
        currentTerm = durableTerm;
        votedFor = durableVote;
        clearFailure();
    }

    /**
     * Makes the next {@link #force()} fail: it returns {@link #FAILED} and the log stays failed (appends, truncations
     * and persists return false, forces return FAILED) until {@link #crash()}.
     */
    public void failNextForce() {
        failNextForce = true;
    }

    /**
     * Chooses whether {@link #persistTermAndVote} is durable (the default) or, to model a buggy store, only updates
     * memory so that {@link #crash()} reverts term and vote to the last durable ones.
     *
     * @param durable true for a correct store.
     */
    public void setHardStateDurable(final boolean durable) {
        this.hardStateDurable = durable;
    }

    /**
     * Number of {@link #force()} calls that reached the storage (the failing one included, the refused ones after
     * a failure not), across crashes.
     *
     * @return forces so far.
     */
    public long forceCount() {
        return forceCount;
    }

    /**
     * Capacity of the payload buffer, which grows on demand and is reused after compaction.
     *
     * @return bytes.
     */
    public int payloadCapacityBytes() {
        return payloads.capacity();
    }

    private void storeSnapshot(
        final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        snapshot.putBytes(0, data, offset, length);
        snapshotIs(index, term, length);
    }

    private void keepEntries(final int keep) {
        count = keep;
        payloadTail = keep == 0 ? 0 : offsets[keep - 1] + lengths[keep - 1];
    }

    private int slot(final long index) {
        checkEntry(index);
        return (int)(index - snapshotIndex() - 1);
    }

    private void growEntries() {
        final int capacity = terms.length * 2;
        terms = Arrays.copyOf(terms, capacity);
        types = Arrays.copyOf(types, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
    }
}
