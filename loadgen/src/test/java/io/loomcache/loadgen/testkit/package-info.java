/**
 * Test helpers: a tiny LoomCache server answering from a map, a minimal JSON parser.
 */
package io.loomcache.loadgen.testkit;
