package io.loomcache.raft;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * The replicated state a Raft group drives. Called only on the thread that drives the group, in index order, each
 * committed {@link EntryType#COMMAND} entry exactly once between two restores.
 */
public interface StateMachine {
    /**
     * Applies one committed command.
     *
     * @param index the entry's log index.
     * @param term the entry's term.
     * @param buffer holds the command; valid only during the call.
     * @param offset index of the command's first byte.
     * @param length command length in bytes.
     */
    void apply(long index, long term, DirectBuffer buffer, int offset, int length);

    /**
     * Writes the whole state as of the last applied entry.
     *
     * @param out grows as needed.
     * @param offset where to write the first byte.
     * @return the number of bytes written.
     */
    int takeSnapshot(ExpandableDirectByteBuffer out, int offset);

    /**
     * Replaces the whole state by a snapshot taken by {@link #takeSnapshot(ExpandableDirectByteBuffer, int)}.
     *
     * @param buffer holds the snapshot; valid only during the call.
     * @param offset index of the snapshot's first byte.
     * @param length snapshot length in bytes.
     */
    void restore(DirectBuffer buffer, int offset, int length);
}
