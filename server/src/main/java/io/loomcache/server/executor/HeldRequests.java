package io.loomcache.server.executor;

import static io.loomcache.server.executor.RequestRecordDescriptor.CONNECTION_ID_OFFSET;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Request records an executor holds back because their connection already has many unsent response bytes (a client
 * that reads slower than it asks): they wait here, in arrival order, instead of piling their responses into the
 * connection's memory, and run once the connection's writer has caught up. Later requests of a connection that has
 * held ones are held too, so each connection's requests still run in the order they were read. A bounded direct
 * buffer of {@code [int length][record, padded to 8]} entries; when it is full, a further request of a backlogged
 * connection is answered SERVER_BUSY instead of run, so no client can stall the executor for the others (the write
 * deadline drops a client that stopped reading, and its held requests then run with nobody to answer). Owned by
 * the executor thread; allocation-free once its maps have grown.
 */
final class HeldRequests {
    /** Decides and runs held requests during {@link #retry}. */
    interface Runner {
        /**
         * Whether a held request of this connection may run now.
         *
         * @param connectionId the request's connection.
         * @return true to run it, false to keep it (and every later one of the connection) held.
         */
        boolean mayRun(long connectionId);

        /**
         * Runs a held request record.
         *
         * @param buffer holding the record.
         * @param offset of the record.
         * @param length of the record.
         */
        void run(MutableDirectBuffer buffer, int offset, int length);
    }

    private static final int LENGTH_PREFIX = BitUtil.SIZE_OF_LONG;

    private final UnsafeBuffer buffer;
    private final Long2LongHashMap heldPerConnection = new Long2LongHashMap(0);
    private final LongHashSet blocked = new LongHashSet();
    private int limit;
    private volatile long heldTotal;

    /**
     * Creates the buffer.
     *
     * @param capacity bytes, room for at least two of the largest records.
     */
    HeldRequests(final int capacity) {
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
    }

    /**
     * Whether a connection has held requests here (its next request must be held too).
     *
     * @param connectionId the connection.
     * @return true when some are held.
     */
    boolean isHolding(final long connectionId) {
        return heldPerConnection.get(connectionId) > 0;
    }

    /**
     * Whether nothing is held.
     *
     * @return true when empty.
     */
    boolean isEmpty() {
        return limit == 0;
    }

    /**
     * Holds a copy of a request record.
     *
     * @param source holding the record.
     * @param offset of the record.
     * @param length of the record.
     * @return false when there is no room (nothing was copied).
     */
    boolean hold(final DirectBuffer source, final int offset, final int length) {
        final int entryLength = BitUtil.align(LENGTH_PREFIX + length, BitUtil.SIZE_OF_LONG);
        if (limit + entryLength > buffer.capacity()) {
            return false;
        }
        buffer.putInt(limit, length);
        buffer.putBytes(limit + LENGTH_PREFIX, source, offset, length);
        limit += entryLength;
        final long connectionId = source.getLong(offset + CONNECTION_ID_OFFSET);
        heldPerConnection.put(connectionId, heldPerConnection.get(connectionId) + 1);
        heldTotal = heldTotal + 1;
        return true;
    }

    /**
     * Runs, in order, every held request its runner lets run; once one of a connection is kept, the later ones of
     * that connection are kept too. Kept entries move to the front.
     *
     * @param runner decides and runs.
     * @return the requests run.
     */
    int retry(final Runner runner) {
        blocked.clear();
        int read = 0;
        int write = 0;
        int ran = 0;
        while (read < limit) {
            final int length = buffer.getInt(read);
            final int entryLength = BitUtil.align(LENGTH_PREFIX + length, BitUtil.SIZE_OF_LONG);
            final int record = read + LENGTH_PREFIX;
            final long connectionId = buffer.getLong(record + CONNECTION_ID_OFFSET);
            if (!blocked.contains(connectionId) && runner.mayRun(connectionId)) {
                final long remaining = heldPerConnection.get(connectionId) - 1;
                if (remaining > 0) {
                    heldPerConnection.put(connectionId, remaining);
                } else {
                    heldPerConnection.remove(connectionId);
                }
                runner.run(buffer, record, length);
                ran++;
            } else {
                blocked.add(connectionId);
                if (write != read) {
                    buffer.putBytes(write, buffer, read, entryLength);
                }
                write += entryLength;
            }
            read += entryLength;
        }
        limit = write;
        return ran;
    }

    /**
     * Requests held since start.
     *
     * @return the count.
     */
    long heldTotal() {
        return heldTotal;
    }
}
