package io.loomcache.loadgen.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Operations drawn by their weights (seeded), and the YCSB workloads' mixes. */
class OpMixTest {
    @Test
    void shouldDrawEachOperationByItsWeight() {
        final OpMix mix = OpMix.parse("get=50,set=20,del=10,setnx=5,setex=5,cas=5,getset=5");
        final SplittableRandom random = new SplittableRandom(9);
        final int draws = 1_000_000;
        final long[] counts = new long[OpMix.COUNT];
        for (int i = 0; i < draws; i++) {
            counts[mix.next(random)]++;
        }
        double chiSquare = 0;
        for (int op = 0; op < OpMix.COUNT; op++) {
            final double expected = mix.share(op) * draws;
            chiSquare += (counts[op] - expected) * (counts[op] - expected) / expected;
        }
        // the 99.99th percentile of chi-square with 6 degrees of freedom is 27.9
        assertTrue(chiSquare < 27.9, "chi-square " + chiSquare);
    }

    @Test
    void shouldNeverDrawAnOperationWithoutWeight() {
        final OpMix mix = OpMix.parse("set=1,getset=0,get=0");
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(OpMix.SET, mix.next(random));
        }
        assertTrue(OpMix.readRatio(0.8).readsAndWritesOnly());
        assertFalse(OpMix.ycsb("f").readsAndWritesOnly());
        assertEquals("get=95%,set=5%", OpMix.ycsb("B").describe());
        assertEquals("get=33.33%,set=66.67%", OpMix.parse("get=1,set=1,set=1").describe());
    }
}
