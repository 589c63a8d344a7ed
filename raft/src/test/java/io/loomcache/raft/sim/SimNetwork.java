package io.loomcache.raft.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The simulated network: every message gets a random delay (so messages reorder), and the firewall drops,
 * duplicates and blocks links one way (asymmetric) or both ways (partitions). Deterministic from the simulation's
 * random source.
 */
final class SimNetwork {
    static final int MAX_MEMBERS = 16;

    private final SplittableRandom random;
    private final boolean[][] blocked = new boolean[MAX_MEMBERS][MAX_MEMBERS];
    double dropRate;
    double duplicateRate;
    long minDelayNs;
    long maxDelayNs;
    /** Share of messages held back for up to {@link #longDelayMaxNs} (a slow or congested path). */
    double longDelayRate;
    long longDelayMaxNs;
    long sent;
    long dropped;
    long duplicated;

    SimNetwork(final SplittableRandom random) {
        this.random = random;
    }

    void block(final int from, final int to) {
        blocked[from][to] = true;
    }

    /** Cuts every link between {@code side} and the rest (symmetric partition). */
    void partition(final boolean[] side) {
        for (int i = 0; i < MAX_MEMBERS; i++) {
            for (int j = 0; j < MAX_MEMBERS; j++) {
                if (side[i] != side[j]) {
                    blocked[i][j] = true;
                }
            }
        }
    }

    void heal() {
        for (final boolean[] row : blocked) {
            Arrays.fill(row, false);
        }
    }

    /**
     * @return the delays of the copies to deliver (0, 1 or 2 of them), written into {@code delays}.
     */
    int route(final int from, final int to, final long[] delays) {
        sent++;
        if (blocked[from][to] || random.nextDouble() < dropRate) {
            dropped++;
            return 0;
        }
        delays[0] = delay();
        if (random.nextDouble() < duplicateRate) {
            duplicated++;
            delays[1] = delay();
            return 2;
        }
        return 1;
    }

    private long delay() {
        if (longDelayRate > 0 && random.nextDouble() < longDelayRate) {
            return minDelayNs + random.nextLong(longDelayMaxNs);
        }
        return minDelayNs + (maxDelayNs > minDelayNs ? random.nextLong(maxDelayNs - minDelayNs) : 0);
    }
}
