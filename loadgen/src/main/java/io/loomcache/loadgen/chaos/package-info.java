/**
 * {@code scripts/chaos}: a 3-node cluster under a register workload while a nemesis kills, pauses, partitions or
 * restarts its members; the histories are written as Jepsen logs and checked for linearizability.
 */
package io.loomcache.loadgen.chaos;
