/**
 * Java client for LoomCache: pipelined async API over persistent connections, blocking facade, typed maps.
 */
package io.loomcache.client;
