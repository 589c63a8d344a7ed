/**
 * A fake LoomCache server for the tests of the client and the load generator: the real wire protocol over loopback,
 * map operations answered from a HashMap, knobs to refuse, shed, fail, hold back or reorder answers.
 */
package io.loomcache.protocol.fake;
