/**
 * Test helpers: a minimal JSON parser (the fake LoomCache server is the protocol's, in its test-jar).
 */
package io.loomcache.loadgen.testkit;
