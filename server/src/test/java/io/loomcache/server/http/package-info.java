/**
 * Tests of the HTTP endpoints over real loopback sockets: stalled and flooding clients beside live probes,
 * deadlines, and the answers to malformed or unsupported requests.
 */
package io.loomcache.server.http;
