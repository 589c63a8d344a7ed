package io.loomcache.server.executor;

import static io.loomcache.server.executor.WalRecordDescriptor.EXPIRE_AT_MS_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_LENGTH_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.VALUE_LENGTH_OFFSET;

import java.io.IOException;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.loomcache.wal.WriteAheadLog;

/**
 * Appends the effects of map writes to an executor's WAL as {@link WalRecordDescriptor} records, claiming room in
 * the mapped segment and writing the payload in place (no copy besides the one into the log). A write claims its
 * record before it touches the store ({@link #claim}) and then commits or aborts it, so that no write is visible
 * in the store without its record and a write the store refuses leaves nothing that replay would apply.
 * <p>
 * The first append the log refuses (failed force, segment that cannot be created, e.g. a full disk) fails this
 * writer for good: from then on the store may hold what the log does not (the tombstone of an eviction that could
 * not be appended), so the executor refuses every write until a restart. A null log means persistence is off and
 * every append succeeds at once. Owned by the executor thread; allocation-free.
 */
public final class WalWriter {
    private final WriteAheadLog log;
    private long appendedSinceSnapshot;
    private int claimedType;
    private boolean claimed;
    private boolean failed;

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
     * Whether the log refused an append or failed a force: writes must then be refused before they touch the store.
     *
     * @return true once failed; never false again.
     */
    public boolean failed() {
        if (!failed && log != null && log.isFailed()) {
            failed = true;
        }
        return failed;
    }

    /**
     * Why the log failed.
     *
     * @return the log's last error, or null.
     */
    public IOException lastError() {
        return log == null ? null : log.lastError();
    }

    /**
     * Claims the next record and writes its payload; {@link #commit()} or {@link #abort()} must follow before any
     * other append.
     *
     * @param type a {@link WalRecordDescriptor} {@code TYPE_*}.
     * @param expireAtMs absolute deadline, 0 for none.
     * @param key buffer holding the key.
     * @param keyOffset offset of the key.
     * @param keyLength key bytes (0 for CLEAR).
     * @param value buffer holding the value (may be null when valueLength is 0).
     * @param valueOffset offset of the value.
     * @param valueLength value bytes.
     * @return true when claimed (or persistence is off), false when the log refused (this writer has then failed,
     *     unless the record was longer than a segment).
     */
    public boolean claim(
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
        if (claimed) {
            throw new IllegalStateException("a record is already claimed");
        }
        if (failed()) {
            return false;
        }
        final long position = log.claim(WalRecordDescriptor.length(keyLength, valueLength));
        if (position < 0) {
            // a record longer than a segment changes nothing (the node's settings rule it out); anything else does
            failed = position != WriteAheadLog.PAYLOAD_TOO_LONG;
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
        claimedType = type;
        claimed = true;
        return true;
    }

    /**
     * Appends the claimed record; cannot fail.
     */
    public void commit() {
        if (log == null) {
            return;
        }
        if (!claimed) {
            throw new IllegalStateException("no record claimed");
        }
        claimed = false;
        log.commit(claimedType, 0);
        appendedSinceSnapshot++;
    }

    /**
     * Drops the claimed record: nothing of it reaches the log.
     */
    public void abort() {
        if (claimed) {
            claimed = false;
            log.abort();
        }
    }

    /**
     * Appends one record without a value (REMOVE, EXPIRE): {@link #claim} then {@link #commit()}.
     *
     * @param type a {@link WalRecordDescriptor} {@code TYPE_*}.
     * @param expireAtMs absolute deadline, 0 for none.
     * @param key buffer holding the key.
     * @param keyOffset offset of the key.
     * @param keyLength key bytes.
     * @return true when appended (or persistence is off), false when the log refused (this writer has then failed).
     */
    public boolean appendKey(
        final int type, final long expireAtMs, final DirectBuffer key, final int keyOffset, final int keyLength) {
        if (!claim(type, expireAtMs, key, keyOffset, keyLength, null, 0, 0)) {
            return false;
        }
        commit();
        return true;
    }

    /**
     * Appends a REMOVE for each key the store dropped, skipping the key of the write whose record was just committed
     * (the store dropped its expired entry before writing it: that record already decides the key's state), then
     * forgets the keys. Another key's REMOVE after the write's record replays the same: the order of records about
     * different keys does not matter, and the room a replayed write may need before the REMOVEs that follow it is
     * covered by the headroom recovery gives the store ({@link StoreRecovery}).
     *
     * @param dropped the keys, in the order the store dropped them.
     * @param skipKey the committed record's key, or null.
     * @param skipOffset offset of that key.
     * @param skipLength length of that key.
     * @return false when the log refused one (this writer has then failed).
     */
    public boolean appendDropped(
        final DroppedKeys dropped,
        final DirectBuffer skipKey,
        final int skipOffset,
        final int skipLength) {
        final DirectBuffer keys = dropped.buffer();
        boolean appended = true;
        for (int offset = 0, limit = dropped.limit(); offset < limit && appended; ) {
            final int keyLength = keys.getInt(offset + DroppedKeys.KEY_LENGTH_OFFSET);
            final int keyOffset = offset + DroppedKeys.KEY_OFFSET;
            if (skipKey == null || !sameBytes(keys, keyOffset, keyLength, skipKey, skipOffset, skipLength)) {
                appended = appendKey(WalRecordDescriptor.TYPE_REMOVE, 0, keys, keyOffset, keyLength);
            }
            offset = keyOffset + keyLength;
        }
        dropped.clear();
        return appended;
    }

    /**
     * Compares two byte ranges.
     *
     * @return true when they have the same length and bytes.
     */
    static boolean sameBytes(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final DirectBuffer other,
        final int otherOffset,
        final int otherLength) {
        if (length != otherLength) {
            return false;
        }
        int i = 0;
        for (final int wordLimit = length - Long.BYTES; i <= wordLimit; i += Long.BYTES) {
            if (buffer.getLong(offset + i) != other.getLong(otherOffset + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (buffer.getByte(offset + i) != other.getByte(otherOffset + i)) {
                return false;
            }
        }
        return true;
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
