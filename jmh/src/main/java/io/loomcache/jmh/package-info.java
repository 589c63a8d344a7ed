/**
 * JMH microbenchmarks of the codecs, the off-heap store, the write-ahead log and Raft replication (over an
 * in-memory network). Run through scripts/bench; results and commands are recorded in docs/benchmarks.md.
 */
package io.loomcache.jmh;
