/**
 * Write-ahead log: memory-mapped segment files of CRC32C-checked records.
 * Append by claim/commit, fsync policies with group commit, replay, torn-tail repair and snapshots.
 */
package io.loomcache.wal;
