/**
 * Tests of the load driver against a real in-test LoomCache server over loopback sockets.
 */
package io.loomcache.loadgen.driver;
