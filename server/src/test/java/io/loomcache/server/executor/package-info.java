/**
 * Unit tests of the executor parts: fan-out aggregation, routing, WAL records, snapshots and recovery.
 */
package io.loomcache.server.executor;
