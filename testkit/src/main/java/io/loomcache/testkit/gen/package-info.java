/**
 * Seeded generators for property tests on plain JUnit 5: {@link io.loomcache.testkit.gen.Gen} draws edge-biased
 * values from one seed, {@link io.loomcache.testkit.gen.Property} runs a property over many seeds, prints the failing
 * seed and replays it with {@code -Dloomcache.seed=S}.
 */
package io.loomcache.testkit.gen;
