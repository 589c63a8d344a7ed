package io.loomcache.loadgen.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import io.loomcache.protocol.KeySlot;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Chooses the member a nemesis hits: the one that leads the most of the groups the registers live in (a key's
 * partition is its {@link KeySlot} partition, its group the
 * partition modulo the group count, as the server computes them), ties broken at random; a random member when no
 * leader is known. Used by the nemesis thread only.
 */
final class LeaderPicker {
    private static final int ATTEMPTS = 10;
    private static final long RETRY_MS = 300;

    private final ClusterControl cluster;
    private final int[] partitionsOfKeys;
    private final SplittableRandom random;

    /** The member chosen and why, e.g. {@code leads groups 1 3 of the keys}. */
    record Pick(int member, String why) {
    }

    /**
     * Computes the keys' partitions.
     *
     * @param cluster the cluster to ask for leaders.
     * @param keys the registers' names.
     * @param partitionCount the partition count the members announce.
     * @param random the run's random choices.
     */
    LeaderPicker(final ClusterControl cluster, final List<String> keys, final int partitionCount,
        final SplittableRandom random) {
        this.cluster = cluster;
        this.random = random;
        this.partitionsOfKeys = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            partitionsOfKeys[i] = partition(keys.get(i), partitionCount);
        }
    }

    /**
     * A key's partition, as client and server compute it.
     *
     * @param key the key's text (UTF-8).
     * @param partitionCount the partition count.
     * @return 0 .. partitionCount - 1.
     */
    static int partition(final String key, final int partitionCount) {
        final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return KeySlot.partition(new UnsafeBuffer(bytes), 0, bytes.length, partitionCount);
    }

    /**
     * Chooses the member to hit, asking the members for their groups' leaders (a few tries while an election is
     * under way).
     *
     * @return the member and why it was chosen.
     */
    Pick pick() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            final int[] leaders = cluster.groupLeaders();
            if (leaders.length > 0) {
                final int[] led = new int[ClusterControl.MEMBERS];
                final List<TreeSet<Integer>> groups = new ArrayList<>();
                for (int n = 0; n < ClusterControl.MEMBERS; n++) {
                    groups.add(new TreeSet<>());
                }
                boolean known = true;
                for (final int partition : partitionsOfKeys) {
                    final int group = partition % leaders.length;
                    if (leaders[group] < 0) {
                        known = false;
                        break;
                    }
                    if (groups.get(leaders[group]).add(group)) {
                        led[leaders[group]]++;
                    }
                }
                if (known) {
                    final int member = mostLed(led);
                    return new Pick(member, "leads group(s) " + spaced(groups.get(member)) + " of the keys' "
                        + spaced(keyGroups(leaders.length)));
                }
            }
            ClusterControl.sleepMs(RETRY_MS);
        }
        final int member = random.nextInt(ClusterControl.MEMBERS);
        return new Pick(member, "no leader known: chosen at random");
    }

    private int mostLed(final int[] led) {
        int best = -1;
        int ties = 0;
        for (int n = 0; n < led.length; n++) {
            if (best < 0 || led[n] > led[best]) {
                best = n;
                ties = 1;
            } else if (led[n] == led[best] && random.nextInt(++ties) == 0) {
                best = n;
            }
        }
        return best;
    }

    private TreeSet<Integer> keyGroups(final int groupCount) {
        final TreeSet<Integer> all = new TreeSet<>();
        for (final int partition : partitionsOfKeys) {
            all.add(partition % groupCount);
        }
        return all;
    }

    private static String spaced(final TreeSet<Integer> groups) {
        final StringBuilder text = new StringBuilder();
        for (final int group : groups) {
            text.append(text.isEmpty() ? "" : " ").append(group);
        }
        return text.toString();
    }
}
