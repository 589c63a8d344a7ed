/**
 * Deterministic simulation of Raft groups: one thread, a seeded random source, a fake clock per member, an
 * in-memory network with a firewall, crashes that lose unforced bytes, and the Raft invariants checked after every
 * step; client histories are checked for linearizability.
 */
package io.loomcache.raft.sim;
