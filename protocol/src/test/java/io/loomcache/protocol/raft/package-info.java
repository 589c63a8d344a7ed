/**
 * Tests of the Raft RPC codecs: field layout against the offsets, seeded round trips, truncation, corruption
 * and arbitrary bytes, and the allocation-free check of encoding, cutting and decoding every Raft message.
 */
package io.loomcache.protocol.raft;
