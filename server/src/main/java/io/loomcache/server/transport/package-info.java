/**
 * Network transports behind one {@link io.loomcache.server.transport.Transport} interface: NIO sockets with a
 * virtual reader and writer thread per connection, and Netty on io_uring (else epoll, else NIO).
 */
package io.loomcache.server.transport;
