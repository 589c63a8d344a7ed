package io.loomcache.server.resp;

/**
 * Layout of the correlation id a Redis connection gives each request it sends to the executors, and each reply part
 * it answers itself: the answer comes back with it, and it tells the connection's writer where the part goes and how
 * to render it.
 * <pre>
 *  63          48 47 44 43 42 41 40 39      32 31                               0
 * +--------------+-----+--+--+--+--+----------+----------------------------------+
 * | parts | slot |  -  |CO|R3|LA|FI|   kind   |        part sequence (uint32)    |
 * +--------------+-----+--+--+--+--+----------+----------------------------------+
 * </pre>
 * The part sequence counts every part of the connection's replies from 1, wrapping: the writer emits parts in that
 * order whatever order executors answer them in. FI/LA mark the first and last part of a reply made of several
 * (DEL of many keys, MSET); R3 says the reply is rendered in RESP3; CO says the part leaves its reply open (MGET's
 * array header and all its values but the last), so no pub/sub message may be written after it. The top 16 bits are
 * the count of parts of a RAW frame, or, in a request of a cluster member, the key's Redis slot (14 bits), which a
 * MOVED reply names.
 */
public final class RespCorrelation {
    /** Bits of the part sequence. */
    public static final long SEQUENCE_MASK = 0xFFFF_FFFFL;
    /** Shift of the kind. */
    public static final int KIND_SHIFT = 32;
    /** Mask of the kind after the shift. */
    public static final int KIND_MASK = 0xFF;
    /** Shift of the count of parts a {@link #RAW} frame stands for (one when 0). */
    public static final int PARTS_SHIFT = 48;
    /** The most parts one {@link #RAW} frame stands for. */
    public static final int MAX_PARTS = 0xFFFF;
    /** Shift of the key's Redis slot in a part that is not {@link #RAW}, for a MOVED reply (cluster only). */
    public static final int SLOT_SHIFT = 48;
    /** Mask of the slot after the shift. */
    public static final int SLOT_MASK = 0x3FFF;
    /** Flag: the first part of a multi-part reply. */
    public static final long FIRST = 1L << 40;
    /** Flag: the last part of a multi-part reply. */
    public static final long LAST = 1L << 41;
    /** Flag: render in RESP3. */
    public static final long RESP3 = 1L << 42;
    /** Flag: the reply goes on after this part (a RAW frame: after its last part); no push may come between. */
    public static final long CONTINUED = 1L << 43;

    /** Kind: the body is an encoded RESP reply, emitted as it is. */
    public static final int RAW = 1;
    /** Kind: VALUE as a bulk string, NOT_FOUND as a null. */
    public static final int BULK = 2;
    /** Kind: OK as +OK. */
    public static final int OK = 3;
    /** Kind: BOOLEAN true as +OK, false as a null (SET NX / XX). */
    public static final int OK_OR_NULL = 4;
    /** Kind: BOOLEAN as :1 / :0. */
    public static final int BOOLEAN_INTEGER = 5;
    /** Kind: LONG as an integer. */
    public static final int INTEGER = 6;
    /** Kind: a TTL in ms as Redis's TTL (seconds, -1 no TTL, -2 no key). */
    public static final int TTL_SECONDS = 7;
    /** Kind: a TTL in ms as Redis's PTTL. */
    public static final int TTL_MILLIS = 8;
    /** Kind: VALUE as its length, NOT_FOUND as 0 (STRLEN). */
    public static final int LENGTH = 9;
    /** Kind: VALUE cut to the range of the next parameter record (GETRANGE), NOT_FOUND as "". */
    public static final int RANGE = 10;
    /** Kind: BOOLEAN parts summed into one integer at the last part (DEL, EXISTS, UNLINK). */
    public static final int COUNT = 11;
    /** Kind: parts that all must succeed, one +OK at the last part or the first error (MSET). */
    public static final int ALL_OK = 12;
    /** Kind: BOOLEAN as +string / +none (TYPE). */
    public static final int TYPE = 14;
    /** Kind: not a part: two int64 parameters for the next RANGE part; takes no sequence number. */
    public static final int PARAMETERS = 15;
    /** Kind: OK or BOOLEAN as +OK (SET with a deadline already past, FLUSHALL). */
    public static final int ANY_OK = 16;
    /** Kind: a MAP_SCAN step as SCAN's [cursor, keys]; the slot bits hold the executor. */
    public static final int SCAN = 17;
    /** Kind: MAP_SCAN answers of every executor gathered into one KEYS array at the last part. */
    public static final int KEYS = 18;
    /** Kind: MAP_RANDOM_KEY answers of every executor, one of the keys found picked at random at the last part. */
    public static final int RANDOM = 19;
    /** Kind: BOOLEAN as +OK, NOT_FOUND as {@code -ERR no such key} (RENAME). */
    public static final int RENAME = 20;
    /** Kind: BOOLEAN as :1 / :0, NOT_FOUND as {@code -ERR no such key} (RENAMENX). */
    public static final int RENAMENX = 21;
    /**
     * Kind: not a part: a pub/sub message, its body an int64 part number (the part after its subscription's
     * confirmation) and an encoded RESP push, written between replies once that part has come and no reply is open.
     */
    public static final int PUSH = 22;

    private RespCorrelation() {
    }

    /**
     * Builds a correlation id.
     *
     * @param sequence the part sequence.
     * @param kind how to render the answer.
     * @param flags {@link #FIRST}, {@link #LAST}, {@link #RESP3}.
     * @return the id.
     */
    public static long of(final long sequence, final int kind, final long flags) {
        return (sequence & SEQUENCE_MASK) | ((long)kind << KIND_SHIFT) | flags;
    }

    /**
     * The part sequence of an id.
     *
     * @param correlationId the id.
     * @return the sequence, 0 to 2^32 - 1.
     */
    public static long sequence(final long correlationId) {
        return correlationId & SEQUENCE_MASK;
    }

    /**
     * How many parts of the reply stream a {@link #RAW} frame stands for: several consecutive replies the adapter
     * encoded itself travel as one frame (for another kind the same bits are the key's slot, and it stands for one).
     *
     * @param correlationId the id.
     * @return 1 or more.
     */
    public static int parts(final long correlationId) {
        return Math.max(1, (int)(correlationId >>> PARTS_SHIFT));
    }

    /**
     * The Redis slot of the key a part's request was for (cluster members only; 0 elsewhere).
     *
     * @param correlationId the id.
     * @return 0 to 16383.
     */
    public static int slot(final long correlationId) {
        return (int)(correlationId >>> SLOT_SHIFT) & SLOT_MASK;
    }

    /**
     * The kind of an id.
     *
     * @param correlationId the id.
     * @return the kind.
     */
    public static int kind(final long correlationId) {
        return (int)(correlationId >>> KIND_SHIFT) & KIND_MASK;
    }
}
