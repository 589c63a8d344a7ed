/**
 * Unit tests of the transport-independent connection state: the outbound ring, spill and read pausing.
 */
package io.loomcache.server.connection;
