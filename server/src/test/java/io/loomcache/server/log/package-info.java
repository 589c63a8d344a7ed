/**
 * Tests of the node's log: distinct errors once with their trace, counts, the bound on what is held, the line
 * format and the error metric.
 */
package io.loomcache.server.log;
