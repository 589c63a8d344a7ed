/**
 * A LoomCache node: configuration, transports, per-core executors, persistence, backpressure, health and metrics.
 */
package io.loomcache.server;
