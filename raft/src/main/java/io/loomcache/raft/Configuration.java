package io.loomcache.raft;

import static io.loomcache.raft.ConfigurationDescriptor.IDS_OFFSET;
import static io.loomcache.raft.ConfigurationDescriptor.ID_LENGTH;
import static io.loomcache.raft.ConfigurationDescriptor.LEARNER_COUNT_OFFSET;
import static io.loomcache.raft.ConfigurationDescriptor.MAX_MEMBERS;
import static io.loomcache.raft.ConfigurationDescriptor.VOTER_COUNT_OFFSET;

import java.nio.ByteOrder;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An immutable membership configuration: the voters (who elect and form quorums) and the learners (who receive
 * the log but do not vote). Changes are made one server at a time (dissertation §4.1), so any two consecutive
 * configurations have overlapping majorities. Allocated only on a membership change.
 */
public final class Configuration {
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private final int[] voters;
    private final int[] learners;

    /**
     * @param voters voting member ids.
     * @param learners non-voting member ids.
     */
    public Configuration(final int[] voters, final int[] learners) {
        this.voters = voters.clone();
        this.learners = learners.clone();
        Arrays.sort(this.voters);
        Arrays.sort(this.learners);
    }

    /** @return number of voters. */
    public int voterCount() {
        return voters.length;
    }

    /**
     * @param i position in [0, voterCount()).
     * @return the voter's id.
     */
    public int voter(final int i) {
        return voters[i];
    }

    /** @return number of learners. */
    public int learnerCount() {
        return learners.length;
    }

    /**
     * @param i position in [0, learnerCount()).
     * @return the learner's id.
     */
    public int learner(final int i) {
        return learners[i];
    }

    /**
     * @param id a member id.
     * @return whether it votes.
     */
    public boolean isVoter(final int id) {
        return Arrays.binarySearch(voters, id) >= 0;
    }

    /**
     * @param id a member id.
     * @return whether it is a learner.
     */
    public boolean isLearner(final int id) {
        return Arrays.binarySearch(learners, id) >= 0;
    }

    /**
     * @param id a member id.
     * @return whether it is a voter or a learner.
     */
    public boolean contains(final int id) {
        return isVoter(id) || isLearner(id);
    }

    /** @return votes needed for a majority of the voters. */
    public int quorum() {
        return voters.length / 2 + 1;
    }

    /**
     * @param id a member to add as a learner.
     * @return the new configuration.
     */
    public Configuration withLearner(final int id) {
        return new Configuration(voters, append(learners, id));
    }

    /**
     * @param id a learner to make a voter.
     * @return the new configuration.
     */
    public Configuration promote(final int id) {
        return new Configuration(append(voters, id), remove(learners, id));
    }

    /**
     * @param id a voter or learner to remove.
     * @return the new configuration.
     */
    public Configuration without(final int id) {
        return new Configuration(remove(voters, id), remove(learners, id));
    }

    /** @return the encoded length. */
    public int encodedLength() {
        return ConfigurationDescriptor.length(voters.length + learners.length);
    }

    /**
     * @param buffer destination.
     * @param offset where to write.
     * @return bytes written.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset) {
        buffer.putInt(offset + VOTER_COUNT_OFFSET, voters.length, ORDER);
        buffer.putInt(offset + LEARNER_COUNT_OFFSET, learners.length, ORDER);
        int position = offset + IDS_OFFSET;
        for (final int id : voters) {
            buffer.putInt(position, id, ORDER);
            position += ID_LENGTH;
        }
        for (final int id : learners) {
            buffer.putInt(position, id, ORDER);
            position += ID_LENGTH;
        }
        return position - offset;
    }

    /**
     * Decodes a configuration written by {@link #encode(MutableDirectBuffer, int)}.
     *
     * @param buffer source.
     * @param offset where it starts.
     * @param length bytes available.
     * @return the configuration, or null when the bytes are not a valid configuration.
     */
    public static Configuration decode(final DirectBuffer buffer, final int offset, final int length) {
        if (length < IDS_OFFSET) {
            return null;
        }
        final int voterCount = buffer.getInt(offset + VOTER_COUNT_OFFSET, ORDER);
        final int learnerCount = buffer.getInt(offset + LEARNER_COUNT_OFFSET, ORDER);
        if (voterCount < 0 || learnerCount < 0 || voterCount + learnerCount > MAX_MEMBERS
            || ConfigurationDescriptor.length(voterCount + learnerCount) > length) {
            return null;
        }
        final int[] voters = new int[voterCount];
        final int[] learners = new int[learnerCount];
        int position = offset + IDS_OFFSET;
        for (int i = 0; i < voterCount; i++, position += ID_LENGTH) {
            voters[i] = buffer.getInt(position, ORDER);
        }
        for (int i = 0; i < learnerCount; i++, position += ID_LENGTH) {
            learners[i] = buffer.getInt(position, ORDER);
        }
        return new Configuration(voters, learners);
    }

    private static int[] append(final int[] ids, final int id) {
        if (Arrays.binarySearch(ids, id) >= 0) {
            return ids;
        }
        final int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = id;
        return out;
    }

    private static int[] remove(final int[] ids, final int id) {
        final int at = Arrays.binarySearch(ids, id);
        if (at < 0) {
            return ids;
        }
        final int[] out = new int[ids.length - 1];
        System.arraycopy(ids, 0, out, 0, at);
        System.arraycopy(ids, at + 1, out, at, ids.length - at - 1);
        return out;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Configuration c && Arrays.equals(voters, c.voters)
            && Arrays.equals(learners, c.learners);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(voters) + Arrays.hashCode(learners);
    }

    @Override
    public String toString() {
        return "voters=" + Arrays.toString(voters) + " learners=" + Arrays.toString(learners);
    }
}
