/**
 * End-to-end tests of a node over real sockets on 127.0.0.1, for each transport, and of real node processes.
 */
package io.loomcache.server;
