/**
 * HTTP endpoints on their own ports: /health (200 while serving, 503 while starting or draining) and the
 * Prometheus /metrics scrape, each a small non-blocking HTTP/1.1 server with deadlines on one selector thread.
 */
package io.loomcache.server.http;
