/**
 * Raft consensus (Ongaro's extended paper and dissertation) as a library: {@link io.loomcache.raft.RaftNode} is one
 * member of one group, a small object driven by the executor that owns it; it talks to the world only through
 * {@link io.loomcache.raft.Clock}, {@link io.loomcache.raft.Transport}, {@link io.loomcache.raft.RaftLog} and
 * {@link io.loomcache.raft.StateMachine}, so the same code runs in production and in a deterministic simulation.
 */
package io.loomcache.raft;
