/**
 * Contract, crash/restart and allocation tests of the {@link io.loomcache.raft.RaftLog} implementations.
 */
package io.loomcache.raft.storage;
