/**
 * Tests of the off-heap store: unit tests, a seeded model-based test against a HashMap with a fake clock,
 * eviction statistics with seeded sampling, memory accounting and allocation checks; plus OverheadReport.
 */
package io.loomcache.store;
