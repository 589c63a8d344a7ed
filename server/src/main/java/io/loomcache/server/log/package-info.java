/**
 * The node's log, held by its context: one grep-able line per event, each distinct error once with its stack trace
 * and a count, errors counted per component for /metrics.
 */
package io.loomcache.server.log;
