/**
 * Directed tests of the Raft member: regressions of bugs real libraries shipped, elections, transfer, reads,
 * membership and many groups per executor, on a hand-driven group.
 */
package io.loomcache.raft;
