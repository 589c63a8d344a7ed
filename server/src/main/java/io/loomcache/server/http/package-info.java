/**
 * HTTP endpoints on their own ports: /health (200 while serving, 503 while starting or draining) and the
 * Prometheus /metrics scrape, on the JDK's built-in HTTP server.
 */
package io.loomcache.server.http;
