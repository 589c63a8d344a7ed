/**
 * Implementations of {@link io.loomcache.raft.RaftLog}: {@link io.loomcache.raft.storage.WalRaftLog} on the
 * write-ahead log for production, {@link io.loomcache.raft.storage.InMemoryRaftLog} with crash semantics for the
 * deterministic simulation and benchmarks.
 */
package io.loomcache.raft.storage;
