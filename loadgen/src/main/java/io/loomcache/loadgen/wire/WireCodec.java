package io.loomcache.loadgen.wire;

import io.loomcache.loadgen.workload.OpMix;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One connection's request encoder and response decoder for a wire protocol. Requests are written from pre-encoded
 * templates (only the key digits and the correlation id change), responses are decoded in place; nothing is
 * allocated per request. Not thread-safe: one instance per connection, used by its I/O thread.
 */
public interface WireCodec {
    /**
     * The longest request this codec writes, to check buffer room before encoding.
     *
     * @return bytes.
     */
    int maxRequestLength();

    /**
     * Tells whether responses come back in request order without correlation ids (RESP), so that the caller matches
     * them first-in first-out.
     *
     * @return true for an ordered protocol.
     */
    boolean ordered();

    /**
     * Writes the handshake a connection sends first, if the protocol has one.
     *
     * @param dst the destination.
     * @param offset the index of the first byte.
     * @param correlationId the id the handshake's response echoes.
     * @return the length written, 0 when the protocol needs no handshake.
     */
    int encodeHandshake(MutableDirectBuffer dst, int offset, long correlationId);

    /**
     * Whether this protocol has a request for an operation.
     *
     * @param op an {@link OpMix} operation.
     * @return true when {@link #encode} can write it.
     */
    boolean supports(int op);

    /**
     * Writes one request of an operation on one key.
     *
     * @param op an {@link OpMix} operation this codec {@link #supports}.
     * @param dst the destination, with at least {@link #maxRequestLength()} bytes of room.
     * @param offset the index of the first byte.
     * @param keyIndex the key number.
     * @param correlationId the id the response echoes (ignored by ordered protocols).
     * @param valueLength the length of the value written, 0 .. {@link #maxValueLength()}, for the operations that
     *     write one (ignored by the others).
     * @return the length written.
     */
    int encode(int op, MutableDirectBuffer dst, int offset, long keyIndex, long correlationId, int valueLength);

    /**
     * The longest value this codec writes (the length its templates were made with).
     *
     * @return bytes.
     */
    int maxValueLength();

    /**
     * Decodes the bytes read from the connection, reporting every complete response to the listener in order.
     *
     * @param src the bytes read.
     * @param offset the index of the first unread byte.
     * @param length the number of bytes.
     * @param listener receives the responses.
     * @return the bytes consumed (the caller keeps the rest for the next call), or minus an
     *     {@link io.loomcache.protocol.ErrorCode} when the stream is corrupt and the connection must be closed.
     */
    int onBytes(DirectBuffer src, int offset, int length, ResponseListener listener);

    /**
     * The partition count the server announced in its handshake answer, for routing keys to partition leaders.
     *
     * @return the count, or 0 before the handshake is answered or for a protocol without partitions.
     */
    default int partitionCount() {
        return 0;
    }

    /**
     * The text of the first error response this codec saw, for one diagnostic line per connection.
     *
     * @return the message, or null when no error response came.
     */
    String firstErrorMessage();
}
