/**
 * Node metrics on a Micrometer Prometheus registry: per-opcode request timers and error counters created up
 * front (recorded without allocation), store counters read through function counters and gauges.
 */
package io.loomcache.server.metrics;
