/**
 * Transport-independent connection state: outbound response rings, the per-connection request adapter that
 * decodes and routes frames, the connection registry and the per-IP limiter.
 */
package io.loomcache.server.connection;
