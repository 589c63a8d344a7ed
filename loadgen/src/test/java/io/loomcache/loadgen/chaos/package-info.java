/**
 * Tests of scripts/chaos: its flags, the outcome of each client failure, the Jepsen line format of its histories,
 * and a short trial of every nemesis against a real 3-node cluster.
 */
package io.loomcache.loadgen.chaos;
