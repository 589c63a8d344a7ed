/**
 * Tests of the write-ahead log: append and replay, roll-over, truncation, crash consistency at every byte,
 * fsync policies and failures (injected and under strace), a full tmpfs, and snapshots.
 */
package io.loomcache.wal;
