package io.loomcache.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;

import io.microraft.statemachine.StateMachine;

/**
 * The MicroRaft twin of {@link CounterStateMachine}: counts applied {@code byte[]} commands, keeps the first 8 bytes
 * (little-endian) of the last one and counts commands whose sequence number is not the previous one plus one. A
 * snapshot is one {@code long[]{applied, lastValue}} chunk. Each leader's first entry is {@link #NEW_TERM}, which is
 * not counted. Owned by the thread that drives its member; returns null results, so applying allocates nothing.
 */
final class MicroRaftCounterStateMachine implements StateMachine {
    /** The operation every new leader commits first, like LoomCache's no-op of a term. */
    static final Object NEW_TERM = new Object();

    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long applied;
    private long lastValue;
    private long outOfOrder;
    private long lastCommitIndex;

    /**
     * Writes a sequence number into the first 8 bytes of a command, as {@link #runOperation} reads it.
     *
     * @param command the command, at least 8 bytes.
     * @param sequence the value to write.
     */
    static void putSequence(final byte[] command, final long sequence) {
        LONG_LE.set(command, 0, sequence);
    }

    @Override
    public Object runOperation(final long commitIndex, final Object operation) {
        lastCommitIndex = commitIndex;
        if (operation instanceof byte[] command) {
            applied++;
            final long value = command.length >= Long.BYTES ? (long)LONG_LE.get(command, 0) : 0;
            if (value != lastValue + 1) {
                outOfOrder++;
            }
            lastValue = value;
        } else if (operation != NEW_TERM) {
            throw new IllegalArgumentException("unknown operation " + operation);
        }
        return null;
    }

    @Override
    public void takeSnapshot(final long commitIndex, final Consumer<Object> snapshotChunkConsumer) {
        snapshotChunkConsumer.accept(new long[] {applied, lastValue});
    }

    @Override
    public void installSnapshot(final long commitIndex, final List<Object> snapshotChunks) {
        final long[] state = snapshotChunks.isEmpty() ? new long[2] : (long[])snapshotChunks.getFirst();
        applied = state[0];
        lastValue = state[1];
        lastCommitIndex = commitIndex;
    }

    @Override
    public Object getNewTermOperation() {
        return NEW_TERM;
    }

    /** @return commands applied since the start (a snapshot install carries the count over). */
    long applied() {
        return applied;
    }

    /** @return the sequence number of the last applied command, 0 before any. */
    long lastValue() {
        return lastValue;
    }

    /** @return commands applied whose sequence number did not follow the previous one. */
    long outOfOrder() {
        return outOfOrder;
    }

    /** @return the log index of the last applied entry (or installed snapshot), 0 before any. */
    long lastCommitIndex() {
        return lastCommitIndex;
    }
}
