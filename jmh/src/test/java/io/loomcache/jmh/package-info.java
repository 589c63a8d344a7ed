/**
 * Tests of the benchmark harnesses: the in-memory Raft group commits, applies and stays bounded and quiet.
 */
package io.loomcache.jmh;
