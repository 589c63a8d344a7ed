package io.loomcache.raft;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Durable storage of one Raft member: the log entries, the hard state (current term and vote, Figure 2 "persistent
 * state on all servers") and the latest snapshot. Indexes start at 1; index 0 with term 0 is the empty prefix.
 *
 * <p>Entries are appended without being durable; {@link #force()} makes everything appended so far durable, and a
 * crash may lose any entry above {@link #durableIndex()}. {@link #persistTermAndVote(long, int)},
 * {@link #saveSnapshot(long, long, DirectBuffer, int, int)} and
 * {@link #installSnapshot(long, long, DirectBuffer, int, int)} are durable when they return true. An I/O failure is
 * reported by a false or {@link #FAILED} return, never by an exception; after it the member stops (it must not
 * acknowledge anything it may have lost). Used by one thread, the one driving the group.
 */
public interface RaftLog {
    /** Returned by {@link #termAt(long)} for an index that is compacted away or beyond the last entry. */
    long UNKNOWN_TERM = -1;
    /** Returned by {@link #force()} when the storage failed. */
    long FAILED = -2;
    /** {@link #votedFor()} when no vote was cast in the current term. */
    int NO_VOTE = -1;

    /**
     * @return index of the first entry held, {@code snapshotIndex() + 1} (equal to {@code lastIndex() + 1} when the
     *     log holds no entry).
     */
    long firstIndex();

    /**
     * @return index of the last entry appended, or the snapshot's index when no entry follows it, or 0.
     */
    long lastIndex();

    /**
     * @param index a log index.
     * @return the term of the entry at {@code index}; the snapshot's term at {@link #snapshotIndex()}; 0 at index 0;
     *     {@link #UNKNOWN_TERM} below the snapshot or above {@link #lastIndex()}.
     */
    long termAt(long index);

    /**
     * @param index an index in {@code [firstIndex(), lastIndex()]}.
     * @return the entry's {@link EntryType}.
     */
    int entryType(long index);

    /**
     * @param index an index in {@code [firstIndex(), lastIndex()]}.
     * @return the entry's payload length in bytes.
     */
    int entryLength(long index);

    /**
     * Copies an entry's payload.
     *
     * @param index an index in {@code [firstIndex(), lastIndex()]}.
     * @param dst destination, with at least {@link #entryLength(long)} bytes of room at {@code dstOffset}.
     * @param dstOffset where to copy to.
     * @return the payload length copied.
     */
    int copyEntry(long index, MutableDirectBuffer dst, int dstOffset);

    /**
     * Appends one entry at {@code lastIndex() + 1} (not yet durable).
     *
     * @param index must equal {@code lastIndex() + 1}.
     * @param term the entry's term.
     * @param type the {@link EntryType}.
     * @param src holds the payload.
     * @param offset index of the payload's first byte.
     * @param length payload length in bytes.
     * @return true, or false if the storage failed or is full.
     */
    boolean append(long index, long term, int type, DirectBuffer src, int offset, int length);

    /**
     * Removes every entry above {@code index} (a conflicting suffix, §5.3); {@code index} is at least
     * {@link #snapshotIndex()}.
     *
     * @param index the last index to keep.
     * @return true, or false if the storage failed.
     */
    boolean truncateAfter(long index);

    /**
     * Makes every entry appended so far durable (one fsync covers them all).
     *
     * @return the new {@link #durableIndex()}, or {@link #FAILED}.
     */
    long force();

    /**
     * @return the highest index such that it and every entry before it survive a crash.
     */
    long durableIndex();

    /**
     * @return the latest term this member has seen, as last persisted (0 initially).
     */
    long currentTerm();

    /**
     * @return the member voted for in {@link #currentTerm()}, or {@link #NO_VOTE}.
     */
    int votedFor();

    /**
     * Durably records the current term and vote; returns only once they would survive a crash.
     *
     * @param term the current term (never lower than the last persisted one).
     * @param votedFor the candidate voted for in {@code term}, or {@link #NO_VOTE}.
     * @return true, or false if the storage failed.
     */
    boolean persistTermAndVote(long term, int votedFor);

    /**
     * @return index of the last entry the latest snapshot covers, or 0 when there is none.
     */
    long snapshotIndex();

    /**
     * @return term of the entry at {@link #snapshotIndex()}, or 0 when there is none.
     */
    long snapshotTerm();

    /**
     * @return length in bytes of the latest snapshot, 0 when there is none.
     */
    int snapshotLength();

    /**
     * Copies part of the latest snapshot (to send it in chunks).
     *
     * @param position byte position inside the snapshot.
     * @param dst destination buffer.
     * @param dstOffset where to copy to.
     * @param maxLength most bytes to copy.
     * @return the number of bytes copied ({@code min(maxLength, snapshotLength() - position)}).
     */
    int copySnapshot(long position, MutableDirectBuffer dst, int dstOffset, int maxLength);

    /**
     * Durably stores a snapshot taken locally of the state up to {@code index}, then discards the entries up to
     * {@code index} (entries after it stay).
     *
     * @param index last index the snapshot covers, at most {@link #lastIndex()}.
     * @param term term of the entry at {@code index}.
     * @param data holds the snapshot bytes.
     * @param offset index of the first byte.
     * @param length snapshot length.
     * @return true, or false if the storage failed.
     */
    boolean saveSnapshot(long index, long term, DirectBuffer data, int offset, int length);

    /**
     * Durably stores a snapshot received from the leader (§7): when the log holds an entry at {@code index} with
     * {@code term} the entries after it are kept, otherwise the whole log is discarded and the next append goes to
     * {@code index + 1}.
     *
     * @param index last index the snapshot covers.
     * @param term term of the entry at {@code index}.
     * @param data holds the snapshot bytes.
     * @param offset index of the first byte.
     * @param length snapshot length.
     * @return true, or false if the storage failed.
     */
    boolean installSnapshot(long index, long term, DirectBuffer data, int offset, int length);
}
