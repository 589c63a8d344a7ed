/**
 * Tests of the Java client against a small protocol-speaking test server that can reorder, withhold and refuse.
 */
package io.loomcache.client;
