package io.loomcache.server.executor;

import static io.loomcache.server.executor.WalRecordDescriptor.EXPIRE_AT_MS_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_LENGTH_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.VALUE_LENGTH_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.loomcache.wal.WriteAheadLog;

/**
 * Appends the effects of map writes to an executor's WAL as {@link WalRecordDescriptor} records, claiming room in
 * the mapped segment and writing the payload in place (no copy besides the one into the log). A null log means
 * persistence is off and every append succeeds at once. Owned by the executor thread; allocation-free.
 */
public final class WalWriter {
    private final WriteAheadLog log;
    private long appendedSinceSnapshot;
    private long appendedInCycle;

    /**
     * Wraps a log.
     *
     * @param log the executor's log, or null when persistence is off.
     */
    public WalWriter(final WriteAheadLog log) {
        this.log = log;
    }

    /**
     * Whether records are written at all.
     *
     * @return false when persistence is off.
     */
    public boolean enabled() {
        return log != null;
    }

    /**
     * Appends one record.
     *
     * @param type a {@link WalRecordDescriptor} {@code TYPE_*}.
     * @param expireAtMs absolute deadline, 0 for none.
     * @param key buffer holding the key.
     * @param keyOffset offset of the key.
     * @param keyLength key bytes (0 for CLEAR).
     * @param value buffer holding the value (may be null when valueLength is 0).
     * @param valueOffset offset of the value.
     * @param valueLength value bytes.
     * @return true when appended (or persistence is off), false when the log refused (failed or full).
     */
    public boolean append(
        final int type,
        final long expireAtMs,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength) {
        if (log == null) {
            return true;
        }
        final long position = log.claim(WalRecordDescriptor.length(keyLength, valueLength));
        if (position < 0) {
            return false;
        }
        final MutableDirectBuffer buffer = log.buffer();
        final int base = (int)position;
        buffer.putLong(base + EXPIRE_AT_MS_OFFSET, expireAtMs);
        buffer.putInt(base + KEY_LENGTH_OFFSET, keyLength);
        buffer.putInt(base + VALUE_LENGTH_OFFSET, valueLength);
        if (keyLength > 0) {
            buffer.putBytes(base + KEY_OFFSET, key, keyOffset, keyLength);
        }
        if (valueLength > 0) {
            buffer.putBytes(base + KEY_OFFSET + keyLength, value, valueOffset, valueLength);
        }
        log.commit(type, 0);
        appendedSinceSnapshot++;
        appendedInCycle++;
        return true;
    }

    /**
     * Records appended since the last {@link #startCycle()}.
     *
     * @return the count.
     */
    public long appendedInCycle() {
        return appendedInCycle;
    }

    /**
     * Starts a duty cycle's count.
     */
    public void startCycle() {
        appendedInCycle = 0;
    }

    /**
     * Records appended since the last snapshot.
     *
     * @return the count.
     */
    public long appendedSinceSnapshot() {
        return appendedSinceSnapshot;
    }

    /**
     * Restarts the snapshot count.
     */
    public void snapshotTaken() {
        appendedSinceSnapshot = 0;
    }
}
