/**
 * Tests of the wire format: unit tests of each codec and the frame decoder, seeded properties (round trips, streams
 * split at every byte boundary, arbitrary bytes) and the Jazzer fuzz target with its regression corpus.
 */
package io.loomcache.protocol;
