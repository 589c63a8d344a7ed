package io.loomcache.loadgen.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each key law against its definition, with fixed seeds: Pearson's chi-square of the drawn counts against the
 * law's exact probabilities must stay below the 99.99th percentile of its chi-square distribution (a correct
 * sampler fails one seed in 10,000; a sampler off by a percent on one key of a million draws fails every time).
 */
class KeyChooserTest {
    private static final int DRAWS = 1_000_000;

    @Test
    void shouldDrawEveryKeyEquallyOftenWhenUniform() {
        final long[] counts = draw(KeyDistribution.DEFAULT, 50, 7);
        final double[] law = new double[50];
        java.util.Arrays.fill(law, 1.0 / 50);
        assertFits(counts, law);
    }

    /** P(key k) = (k+1)^-s / sum over j of j^-s, for exponents below, at and above 1. */
    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.5, 0.99, 1.0, 1.3, 2.5})
    void shouldFollowTheZipfLawExactly(final double exponent) {
        final int keys = 1_000;
        final long[] counts = draw(new KeyDistribution(KeyDistribution.ZIPFIAN, exponent, 0.2, 0.8), keys, 11);
        final double[] law = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) {
            law[k] = Math.pow(k + 1, -exponent);
            sum += law[k];
        }
        for (int k = 0; k < keys; k++) {
            law[k] /= sum;
        }
        assertFits(counts, law);
    }

    /** A billion keys need no set-up: the hottest key still comes as often as the law says. */
    @Test
    void shouldDrawTheHottestKeyOfABillionAsTheLawSays() {
        final long keys = 1_000_000_000L;
        final double exponent = KeyDistribution.DEFAULT_ZIPF_EXPONENT;
        final KeyChooser chooser = new KeyChooser(new KeyDistribution(KeyDistribution.ZIPFIAN, exponent, 0.2, 0.8),
            keys, 0, 1);
        final SplittableRandom random = new SplittableRandom(3);
        long hottest = 0;
        for (int i = 0; i < DRAWS; i++) {
            final long key = chooser.next(random);
            assertTrue(key >= 0 && key < keys, "key " + key);
            hottest += key == 0 ? 1 : 0;
        }
        // sum of j^-s for j up to 1e9: the first million terms, then the integral of the rest (Euler-Maclaurin)
        double zeta = 0;
        final int head = 1_000_000;
        for (int j = 1; j <= head; j++) {
            zeta += Math.pow(j, -exponent);
        }
        zeta += (Math.pow(keys, 1 - exponent) - Math.pow(head, 1 - exponent)) / (1 - exponent) +
            (Math.pow(keys, -exponent) - Math.pow(head, -exponent)) / 2;
        final double expected = DRAWS / zeta;
        assertTrue(Math.abs(hottest - expected) < 5 * Math.sqrt(expected),
            "key 0 drawn " + hottest + " times, the law says " + expected);
    }

    @Test
    void shouldPutTheHotShareOfRequestsOnTheHotKeysUniformlyWithinEachSet() {
        final int keys = 100;
        final long[] counts = draw(new KeyDistribution(KeyDistribution.HOTSPOT, 0.99, 0.2, 0.9), keys, 5);
        final double[] law = new double[keys];
        for (int k = 0; k < keys; k++) {
            law[k] = k < 20 ? 0.9 / 20 : 0.1 / 80;
        }
        assertFits(counts, law);
    }

    @Test
    void shouldSendAllRequestsToTheHotSetWhenHotOpsIsOne() {
        final long[] counts = draw(new KeyDistribution(KeyDistribution.HOTSPOT, 0.99, 0.1, 1.0), 100, 5);
        for (int k = 10; k < 100; k++) {
            assertEquals(0, counts[k], "cold key " + k);
        }
    }

    @Test
    void shouldWalkTheKeysInOrderFromEachThreadsOwnStart() {
        final SplittableRandom random = new SplittableRandom(1);
        final List<List<Long>> walks = new ArrayList<>();
        for (int thread = 0; thread < 3; thread++) {
            final KeyChooser chooser = new KeyChooser(new KeyDistribution(KeyDistribution.SEQUENTIAL, 0.99, 0.2,
                0.8), 10, thread, 3);
            final List<Long> walk = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                walk.add(chooser.next(random));
            }
            walks.add(walk);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 0L, 1L), walks.get(0));
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 0L, 1L, 2L, 3L, 4L), walks.get(1));
        assertEquals(List.of(6L, 7L, 8L, 9L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), walks.get(2));
    }

    @Test
    void shouldRefuseParametersOutsideTheirRanges() {
        assertThrows(IllegalArgumentException.class, () -> new KeyDistribution(KeyDistribution.ZIPFIAN, 0, 0.2, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new KeyDistribution(KeyDistribution.HOTSPOT, 1, 1, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new KeyDistribution(KeyDistribution.HOTSPOT, 1, 0.2, 2));
        assertThrows(IllegalArgumentException.class, () -> new KeyChooser(KeyDistribution.DEFAULT, 0, 0, 1));
        assertEquals("zipfian(s=0.99)", new KeyDistribution(KeyDistribution.ZIPFIAN, 0.99, 0.2, 0.8).describe());
        assertEquals("hotspot(80% of requests on 20% of keys)", new KeyDistribution(KeyDistribution.HOTSPOT, 0.99,
            0.2, 0.8).describe());
    }

    private static long[] draw(final KeyDistribution distribution, final int keys, final long seed) {
        final KeyChooser chooser = new KeyChooser(distribution, keys, 0, 1);
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] counts = new long[keys];
        for (int i = 0; i < DRAWS; i++) {
            counts[(int)chooser.next(random)]++;
        }
        return counts;
    }

    /**
     * Pearson's test of the counts against the law; keys whose expected count is below 20 are pooled (from the
     * coldest), so that every cell has enough draws for the chi-square approximation.
     */
    private static void assertFits(final long[] counts, final double[] law) {
        final List<double[]> cells = new ArrayList<>();
        double pooledExpected = 0;
        long pooledObserved = 0;
        for (int k = 0; k < law.length; k++) {
            final double expected = law[k] * DRAWS;
            if (expected >= 20) {
                cells.add(new double[] {counts[k], expected});
            } else {
                pooledExpected += expected;
                pooledObserved += counts[k];
                if (pooledExpected >= 20) {
                    cells.add(new double[] {pooledObserved, pooledExpected});
                    pooledExpected = 0;
                    pooledObserved = 0;
                }
            }
        }
        if (pooledExpected > 0) {
            final double[] last = cells.getLast();
            last[0] += pooledObserved;
            last[1] += pooledExpected;
        }
        double chiSquare = 0;
        for (final double[] cell : cells) {
            chiSquare += (cell[0] - cell[1]) * (cell[0] - cell[1]) / cell[1];
        }
        final int freedom = cells.size() - 1;
        // Wilson-Hilferty: the chi-square quantile from the normal one (z = 3.719 at 99.99%)
        final double h = 2.0 / (9 * freedom);
        final double critical = freedom * Math.pow(1 - h + 3.719 * Math.sqrt(h), 3);
        assertTrue(chiSquare < critical, String.format("chi-square %.1f over %d cells exceeds %.1f", chiSquare,
            cells.size(), critical));
    }
}
