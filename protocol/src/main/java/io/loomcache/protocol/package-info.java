/**
 * Wire format of LoomCache: the 16-byte frame header, the opcode registry and command table, stable error codes,
 * the stream {@link io.loomcache.protocol.FrameDecoder} and the flyweight message encoders/decoders over Agrona
 * buffers.
 *
 * <p>Allocation note: every encoder, decoder and the frame decoder is a reusable flyweight meant to be
 * pre-allocated once per thread (or per connection); encoding, decoding and cutting frames allocate nothing in
 * the steady state. The only allocations are construction, the frame decoder's bounded buffer growth up to
 * {@code maxFrameLength}, and the methods documented as "allocates: tests and tools only" ({@code keyAsString()},
 * {@code appendTo(StringBuilder)}). Errors are int codes from {@link io.loomcache.protocol.ErrorCode}, never
 * exceptions.
 */
package io.loomcache.protocol;
