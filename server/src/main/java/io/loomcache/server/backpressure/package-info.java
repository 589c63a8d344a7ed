/**
 * Backpressure: the watermark controller that turns queued work and unsent bytes into an admission level read by
 * acceptors and connection readers.
 */
package io.loomcache.server.backpressure;
