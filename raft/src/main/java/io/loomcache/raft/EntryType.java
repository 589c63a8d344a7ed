package io.loomcache.raft;

/**
 * Types of Raft log entries, stored as the record type of the log and carried in AppendEntries.
 */
public final class EntryType {
    /** A client command for the {@link StateMachine}. */
    public static final int COMMAND = 1;
    /** The empty entry a new leader appends to commit entries of earlier terms (§5.4.2, §8). */
    public static final int NOOP = 2;
    /** A membership configuration (voters and learners), effective as soon as it is appended (dissertation §4.1). */
    public static final int CONFIG = 3;

    private EntryType() {
    }
}
