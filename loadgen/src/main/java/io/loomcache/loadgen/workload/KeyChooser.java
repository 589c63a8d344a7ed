package io.loomcache.loadgen.workload;

import java.util.SplittableRandom;

/**
 * Draws the key of each request from {@code 0 .. keys - 1} by a {@link KeyDistribution}, with the I/O thread's own
 * random generator; O(1) per key, allocation-free, one per I/O thread (not thread-safe).
 * <p>
 * Zipfian keys are exact, for any exponent s &gt; 0 and any key count, by rejection-inversion (W. Hörmann and G.
 * Derflinger, "Rejection-inversion to generate variates from monotone discrete distributions", ACM TOMACS 6(3),
 * 1996): a point is drawn uniformly under the integral H of the continuous hat h(x) = x^-s and inverted; rank k is
 * accepted when the point falls in a strip of width exactly h(k) at the top of k's interval, so rank k comes with
 * probability proportional to 1/k^s (key k - 1). No table and no zeta sum, so a billion keys cost nothing to set up.
 * YCSB's own generator (Gray et al.) is an approximation of the same law, exact only for its two hottest keys.
 */
public final class KeyChooser {
    private static final double TAYLOR_THRESHOLD = 1e-8;

    private final int kind;
    private final long keys;
    private final double exponent;
    private final double areaFirst;
    private final double areaEnd;
    private final double squeeze;
    private final long hotCount;
    private final double hotOps;
    private long next;

    /**
     * Makes the chooser of one I/O thread.
     *
     * @param distribution the law.
     * @param keys the key count, at least 1.
     * @param thread the I/O thread's index (sequential keys start at {@code thread * keys / threads}).
     * @param threads the number of I/O threads.
     */
    public KeyChooser(final KeyDistribution distribution, final long keys, final int thread, final int threads) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, not " + keys);
        }
        this.kind = distribution.kind();
        this.keys = keys;
        this.exponent = distribution.zipfExponent();
        this.areaFirst = hatIntegral(1.5) - 1;
        this.areaEnd = hatIntegral(keys + 0.5);
        this.squeeze = 2 - hatIntegralInverse(hatIntegral(2.5) - hat(2));
        this.hotCount = Math.min(keys, Math.max(1, (long)(keys * distribution.hotKeys())));
        this.hotOps = distribution.hotOps();
        this.next = (long)((double)keys * thread / threads) % keys;
    }

    /**
     * Draws the next key.
     *
     * @param random the I/O thread's generator.
     * @return a key index in {@code 0 .. keys - 1}.
     */
    public long next(final SplittableRandom random) {
        return switch (kind) {
            case KeyDistribution.ZIPFIAN -> zipfRank(random) - 1;
            case KeyDistribution.HOTSPOT -> hotCount == keys || random.nextDouble() < hotOps ?
                random.nextLong(hotCount) : hotCount + random.nextLong(keys - hotCount);
            case KeyDistribution.SEQUENTIAL -> {
                final long key = next;
                next = key + 1 == keys ? 0 : key + 1;
                yield key;
            }
            default -> random.nextLong(keys);
        };
    }

    /** A Zipf rank in {@code 1 .. keys}. */
    private long zipfRank(final SplittableRandom random) {
        while (true) {
            // uniform in (areaFirst, areaEnd]: rank 1's strip starts exactly at areaFirst = H(1.5) - h(1)
            final double u = areaEnd + random.nextDouble() * (areaFirst - areaEnd);
            final double x = hatIntegralInverse(u);
            long k = (long)(x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > keys) {
                k = keys;
            }
            // accept when u lies in the top strip of k's interval, width h(k); the squeeze accepts most points
            // without computing H (h is convex and decreasing)
            if (k - x <= squeeze || u >= hatIntegral(k + 0.5) - hat(k)) {
                return k;
            }
        }
    }

    /** The hat h(x) = x^-s. */
    private double hat(final double x) {
        return Math.exp(-exponent * Math.log(x));
    }

    /** H(x) = (x^(1-s) - 1) / (1 - s), log(x) at s = 1, computed without cancellation near s = 1. */
    private double hatIntegral(final double x) {
        final double logX = Math.log(x);
        return expm1Ratio((1 - exponent) * logX) * logX;
    }

    /** The inverse of {@link #hatIntegral}. */
    private double hatIntegralInverse(final double y) {
        double t = y * (1 - exponent);
        if (t < -1) {
            // rounding may pass the domain's edge by an ulp
            t = -1;
        }
        return Math.exp(log1pRatio(t) * y);
    }

    /** expm1(t) / t, 1 at t = 0. */
    private static double expm1Ratio(final double t) {
        return Math.abs(t) > TAYLOR_THRESHOLD ? Math.expm1(t) / t : 1 + t * 0.5 * (1 + t / 3 * (1 + t * 0.25));
    }

    /** log1p(t) / t, 1 at t = 0. */
    private static double log1pRatio(final double t) {
        return Math.abs(t) > TAYLOR_THRESHOLD ? Math.log1p(t) / t : 1 - t * (0.5 - t * (1.0 / 3 - t * 0.25));
    }
}
