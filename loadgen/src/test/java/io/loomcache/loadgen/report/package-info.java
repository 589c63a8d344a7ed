/**
 * Tests that the .hgrm and JSON outputs parse and agree with the run.
 */
package io.loomcache.loadgen.report;
