package io.loomcache.server.executor;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.protocol.ScanDescriptor;
import io.loomcache.protocol.resp.RespGlob;
import io.loomcache.store.EntryVisitor;
import io.loomcache.store.OffHeapStore;

/**
 * MAP_SCAN on one executor's store (Redis SCAN and KEYS): one step of the store's walk ({@link
 * OffHeapStore#forEachEntryFrom}, whose guarantee SCAN's is: a key live during the whole walk is found exactly once,
 * even while others are written), the keys matching the request's glob pattern packed into the answer as {@link
 * ScanDescriptor} lays out. The step ends after the request's count of store positions, or when the keys found could
 * fill the answer. On a cluster member only the keys of the groups it leads are returned (each member holds every
 * group; a Redis Cluster client scans every master and must see each key once). Matching is Redis's glob ({@code *},
 * {@code ?}, {@code [a-z]}, {@code [^x]}, {@code \} escapes) in time linear in pattern x key, never exponential
 * (Redis's CVE-2022-36021 was a backtracking pattern). Owned by the executor thread; allocates its answer buffer on
 * the first scan only.
 */
final class StoreScan implements EntryVisitor {
    private static final int KEY_HEADER = Integer.BYTES;
    /** Store positions a random pick looks at per step of its walk. */
    private static final int RANDOM_STEP_BLOCKS = 256;

    /** Which keys a scan may return (a cluster member: those of the groups it leads). */
    @FunctionalInterface
    interface KeyFilter {
        /**
         * Whether a key is returned.
         *
         * @param key the entry's buffer.
         * @param offset of the key.
         * @param length of the key.
         * @return true to return it.
         */
        boolean accept(DirectBuffer key, int offset, int length);
    }

    private final OffHeapStore store;
    private final int maxValueLength;
    private final int maxKeyLength;
    private MutableDirectBuffer keys;
    private DirectBuffer pattern;
    private int patternOffset;
    private int patternLength;
    private int position;
    private KeyFilter filter;
    private boolean picking;

    StoreScan(final OffHeapStore store, final int maxValueLength, final int maxKeyLength) {
        this.store = store;
        this.maxValueLength = maxValueLength;
        this.maxKeyLength = maxKeyLength;
    }

    /**
     * Restricts the keys a scan returns; set once, by the executor, before it serves.
     *
     * @param filter the filter, or null for every key.
     */
    void filter(final KeyFilter filter) {
        this.filter = filter;
    }

    /**
     * Runs one step and encodes the answer.
     *
     * @param request a valid MAP_SCAN.
     * @param encoder the response encoder, wrapped at the staging area.
     * @return the frame length.
     */
    int execute(final MapRequestDecoder request, final ResponseEncoder encoder) {
        if (keys == null) {
            keys = new UnsafeBuffer(new byte[Math.max(KEY_HEADER + ScanDescriptor.KEYS_OFFSET, maxValueLength)]);
        }
        final long argument = request.argument();
        final int count = ScanDescriptor.count(argument);
        final int cursor = ScanDescriptor.storeCursor(argument);
        pattern = request.buffer();
        patternOffset = request.keyOffset();
        patternLength = request.keyLength();
        position = ScanDescriptor.KEYS_OFFSET;
        // every key found takes no more room than the entry it came from, so stopping at half the buffer's bytes of
        // entries, plus the last entry's key, always fits
        final long maxBytes = Math.max(1, (keys.capacity() - ScanDescriptor.KEYS_OFFSET - maxKeyLength -
            KEY_HEADER) / 2);
        final int next = store.forEachEntryFrom(cursor == ScanDescriptor.START ? OffHeapStore.WALK_START : cursor,
            count == 0 ? Integer.MAX_VALUE : count, maxBytes, this);
        keys.putInt(ScanDescriptor.NEXT_CURSOR_OFFSET, next == OffHeapStore.WALK_DONE ? ScanDescriptor.DONE : next);
        pattern = null;
        return encoder.value(request.correlationId(), keys, 0, position);
    }

    /**
     * MAP_RANDOM_KEY: the first key (of the groups this member leads) at or after a random position, the walk
     * wrapping once to the store's start; NOT_FOUND when there is none.
     *
     * @param request a valid MAP_RANDOM_KEY.
     * @param encoder the response encoder, wrapped at the staging area.
     * @return the frame length.
     */
    int randomKey(final MapRequestDecoder request, final ResponseEncoder encoder) {
        if (keys == null) {
            keys = new UnsafeBuffer(new byte[Math.max(KEY_HEADER + ScanDescriptor.KEYS_OFFSET, maxValueLength)]);
        }
        final long random = ScanDescriptor.storeCursor(request.argument()) & 0xFFFF_FFFFL;
        int cursor = store.randomWalkCursor(random * 0x9E37_79B9_7F4A_7C15L);
        patternLength = 0;
        position = 0;
        picking = true;
        boolean wrapped = false;
        while (position == 0) {
            cursor = store.forEachEntryFrom(cursor, RANDOM_STEP_BLOCKS, Long.MAX_VALUE, this);
            if (cursor == OffHeapStore.WALK_DONE) {
                if (wrapped) {
                    break;
                }
                wrapped = true;
                cursor = OffHeapStore.WALK_START;
            }
        }
        picking = false;
        return position == 0 ? encoder.notFound(request.correlationId()) :
            encoder.value(request.correlationId(), keys, KEY_HEADER, position - KEY_HEADER);
    }

    @Override
    public void onEntry(
        final DirectBuffer entry,
        final int keyOffset,
        final int keyLength,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs) {
        if (picking) {
            if (position == 0 && (filter == null || filter.accept(entry, keyOffset, keyLength))) {
                keys.putBytes(KEY_HEADER, entry, keyOffset, keyLength);
                position = KEY_HEADER + keyLength;
            }
            return;
        }
        if (position + KEY_HEADER + keyLength > keys.capacity()) {
            return;
        }
        if ((patternLength == 0 ||
            RespGlob.matches(pattern, patternOffset, patternLength, entry, keyOffset, keyLength)) &&
            (filter == null || filter.accept(entry, keyOffset, keyLength))) {
            keys.putInt(position, keyLength);
            keys.putBytes(position + KEY_HEADER, entry, keyOffset, keyLength);
            position += KEY_HEADER + keyLength;
        }
    }
}
