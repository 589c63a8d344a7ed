package io.loomcache.raft;

/**
 * Layout of a membership configuration as stored in a {@link EntryType#CONFIG} entry and at the head of every
 * snapshot. Little-endian.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                      Voter Count (int32)                      |  0
 * +---------------------------------------------------------------+
 * |                     Learner Count (int32)                     |  4
 * +---------------------------------------------------------------+
 * |          Voter ids, then learner ids (int32 each) ...         |  8
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ConfigurationDescriptor {
    /** Offset of the number of voters. */
    public static final int VOTER_COUNT_OFFSET = 0;
    /** Size of the voter count. */
    public static final int VOTER_COUNT_LENGTH = Integer.BYTES;
    /** Offset of the number of learners. */
    public static final int LEARNER_COUNT_OFFSET = VOTER_COUNT_OFFSET + VOTER_COUNT_LENGTH;
    /** Size of the learner count. */
    public static final int LEARNER_COUNT_LENGTH = Integer.BYTES;
    /** Offset of the first member id. */
    public static final int IDS_OFFSET = LEARNER_COUNT_OFFSET + LEARNER_COUNT_LENGTH;
    /** Size of one member id. */
    public static final int ID_LENGTH = Integer.BYTES;
    /** Most members (voters plus learners) of one group. */
    public static final int MAX_MEMBERS = 64;

    private ConfigurationDescriptor() {
    }

    /**
     * @param members voters plus learners.
     * @return encoded length in bytes.
     */
    public static int length(final int members) {
        return IDS_OFFSET + members * ID_LENGTH;
    }
}
