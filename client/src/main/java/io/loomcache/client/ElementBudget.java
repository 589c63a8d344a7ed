package io.loomcache.client;

import com.esotericsoftware.kryo.KryoException;

/**
 * Counts the elements that the collections, maps and object arrays of one serialized form declare, and caps them at
 * one per byte of the form plus {@link #ALLOWANCE}. Kryo sizes a container (or fills it with nulls) from its declared
 * length before reading any element, so without a cap nested containers could each claim the whole form and together
 * allocate its square. Every element a stock serializer writes takes at least one byte, except nulls and field-less
 * objects in a collection, which the allowance covers. Owned by one {@link BoundedKryo}, used by the thread that
 * borrowed it.
 */
final class ElementBudget {
    /** Elements a form may declare beyond one per byte. */
    static final int ALLOWANCE = 1024;

    private long limit = Long.MAX_VALUE;
    private long declared;

    /**
     * Starts counting the elements of a form about to be read, capped at its length plus {@link #ALLOWANCE}.
     *
     * @param formLength the length of the form in bytes.
     */
    void startReading(final int formLength) {
        declared = 0;
        limit = (long)formLength + ALLOWANCE;
    }

    /** Starts counting the elements of a form about to be written, without a cap (see {@link #fits(int)}). */
    void startWriting() {
        declared = 0;
        limit = Long.MAX_VALUE;
    }

    /**
     * Counts the elements a container declares, before it is allocated.
     *
     * @param count the declared element count.
     * @throws KryoException when the count is negative or the form would declare more elements than the cap.
     */
    void declare(final int count) {
        if (count < 0) {
            throw new KryoException("the bytes declare a container of " + count + " elements");
        }
        if (count > limit - declared) {
            throw new KryoException("the bytes declare a container of " + count + " elements after " + declared +
                " others, more than one per byte of the form plus " + ALLOWANCE + " (" + limit + ")");
        }
        declared += count;
    }

    /**
     * The elements counted since the last start.
     *
     * @return the count.
     */
    long declared() {
        return declared;
    }

    /**
     * Tells whether a form just written, with the elements counted, would be read back within the cap.
     *
     * @param formLength the length of the form in bytes.
     * @return true when a reader accepts the form's element count.
     */
    boolean fits(final int formLength) {
        return declared <= (long)formLength + ALLOWANCE;
    }
}
