/**
 * Tests of the watermark controller.
 */
package io.loomcache.server.backpressure;
