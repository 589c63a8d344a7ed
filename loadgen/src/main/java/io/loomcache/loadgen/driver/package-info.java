/**
 * The load driver: I/O agents that each own a selector and a set of non-blocking connections, the in-flight table
 * that matches responses to requests, open-loop scheduling and per-phase statistics.
 */
package io.loomcache.loadgen.driver;
