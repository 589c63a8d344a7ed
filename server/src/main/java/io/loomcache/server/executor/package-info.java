/**
 * Partition executors: one {@code PartitionAgent} thread per executor owns a slice of the partitions, one off-heap
 * store and one WAL; requests arrive through a many-to-one ring, responses leave through the connections' rings.
 */
package io.loomcache.server.executor;
