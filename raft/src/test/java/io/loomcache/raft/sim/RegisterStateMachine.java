package io.loomcache.raft.sim;

import java.nio.ByteOrder;

import io.loomcache.raft.StateMachine;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * A map of registers (key to value) replicated by Raft: commands are WRITE key value and CAS key expected value.
 * Reports every applied command to an {@link Observer} so the harness checks state machine safety and completes
 * client operations. {@code broken} modes implement deliberate bugs, to prove the checker catches them.
 */
final class RegisterStateMachine implements StateMachine {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int OP_WRITE = 1;
    static final int OP_CAS = 2;
    static final int COMMAND_LENGTH = 33;
    static final long NIL = Long.MIN_VALUE;

    /** Bug injection: none. */
    static final int BUG_NONE = 0;
    /** Bug injection: drops every 7th write (a lost write). */
    static final int BUG_LOSE_WRITES = 1;

    /** Sees every applied command. */
    interface Observer {
        void onApply(int member, long index, long term, long opId, int op, long key, boolean success,
            long payloadDigest);
    }

    private final int member;
    private final Observer observer;
    private final int bug;
    private final Long2LongHashMap values = new Long2LongHashMap(NIL);
    private long writesApplied;

    RegisterStateMachine(final int member, final Observer observer, final int bug) {
        this.member = member;
        this.observer = observer;
        this.bug = bug;
    }

    static int encode(final MutableDirectBuffer buffer, final int op, final long opId, final long key,
        final long expected, final long value) {
        buffer.putByte(0, (byte)op);
        buffer.putLong(1, opId, ORDER);
        buffer.putLong(9, key, ORDER);
        buffer.putLong(17, expected, ORDER);
        buffer.putLong(25, value, ORDER);
        return COMMAND_LENGTH;
    }

    @Override
    public void apply(final long index, final long term, final DirectBuffer buffer, final int offset,
        final int length) {
        final int op = buffer.getByte(offset);
        final long opId = buffer.getLong(offset + 1, ORDER);
        final long key = buffer.getLong(offset + 9, ORDER);
        final long expected = buffer.getLong(offset + 17, ORDER);
        final long value = buffer.getLong(offset + 25, ORDER);
        boolean success = true;
        if (op == OP_CAS) {
            success = values.get(key) == expected;
        }
        if (success) {
            writesApplied++;
            if (!(bug == BUG_LOSE_WRITES && op == OP_WRITE && writesApplied % 7 == 0)) {
                values.put(key, value);
            }
        }
        final long digest = (((op * 31L + opId) * 31L + key) * 31L + expected * 17L + value) * 2 + (success ? 1 : 0);
        observer.onApply(member, index, term, opId, op, key, success, digest);
    }

    long get(final long key) {
        return values.get(key);
    }

    Long2LongHashMap values() {
        return values;
    }

    @Override
    public int takeSnapshot(final ExpandableDirectByteBuffer out, final int offset) {
        out.putInt(offset, values.size(), ORDER);
        int position = offset + Integer.BYTES;
        final Long2LongHashMap.EntryIterator iterator = values.entrySet().iterator();
        while (iterator.hasNext()) {
            iterator.next();
            out.putLong(position, iterator.getLongKey(), ORDER);
            out.putLong(position + Long.BYTES, iterator.getLongValue(), ORDER);
            position += 2 * Long.BYTES;
        }
        out.putLong(position, writesApplied, ORDER);
        return position + Long.BYTES - offset;
    }

    @Override
    public void restore(final DirectBuffer buffer, final int offset, final int length) {
        values.clear();
        final int count = buffer.getInt(offset, ORDER);
        int position = offset + Integer.BYTES;
        for (int i = 0; i < count; i++) {
            values.put(buffer.getLong(position, ORDER), buffer.getLong(position + Long.BYTES, ORDER));
            position += 2 * Long.BYTES;
        }
        writesApplied = buffer.getLong(position, ORDER);
    }
}
