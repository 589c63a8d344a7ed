/**
 * JMH microbenchmarks of the codecs, the off-heap store and the write-ahead log.
 * Run through scripts/bench; results and commands are recorded in docs/benchmarks.md.
 */
package io.loomcache.jmh;
