/**
 * Wire format of LoomCache: frame header layout, opcode registry, command table and flyweight codecs.
 * Codecs wrap Agrona buffers and never allocate on the hot path.
 */
package io.loomcache.protocol;
