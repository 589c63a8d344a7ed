/**
 * Raft RPC wire format: one flyweight encoder and decoder per Raft message (vote and pre-vote, append entries,
 * install snapshot, timeout-now) over Agrona buffers, laid out by
 * {@link io.loomcache.protocol.raft.RaftMessageDescriptor}.
 *
 * <p>Every message is a whole frame (16-byte frame header, then a body that starts with groupId, senderId, term).
 * Encoding and decoding allocate nothing; decoders validate every length against the frame before any getter
 * reads, and report problems as {@link io.loomcache.protocol.ErrorCode} values, never exceptions. Flyweights are
 * not thread-safe: pre-allocate one per message type per thread.
 */
package io.loomcache.protocol.raft;
