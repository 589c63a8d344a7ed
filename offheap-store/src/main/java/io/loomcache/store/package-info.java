/**
 * Off-heap key/value store owned by one executor thread.
 * Entries live in native memory; keys and values are byte ranges.
 */
package io.loomcache.store;
