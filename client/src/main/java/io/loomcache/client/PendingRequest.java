package io.loomcache.client;

import java.util.concurrent.CompletableFuture;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.HelloResponseDecoder;
import io.loomcache.protocol.ResponseDecoder;

/**
 * One request from the call until its future completes: the arguments to encode, the deadline, the attempt count,
 * the way it took through a cluster (partition, redirects followed, waits for a leader) and, when SERVER_BUSY retries
 * are on or the client routes by partition, a copy of the encoded frame to send again. Fields are written by the
 * calling thread before the request is handed to a {@link Connection} (whose lock publishes them), by that connection
 * afterwards, and by the {@link RequestRouter} while the request is between connections (handed over by starting a
 * thread); the future completes exactly once, from whichever thread settles it first.
 *
 * @param <T> the result type.
 */
final class PendingRequest<T> {
    /** {@link #partition()} of a request not routed by partition. */
    static final int NO_PARTITION = -1;

    private static final DirectBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final int opcode;
    private final ResponseMapper<T> mapper;
    private final long deadlineNs;
    private long ttlMs;
    private DirectBuffer key = EMPTY;
    private int keyOffset;
    private int keyLength;
    private DirectBuffer expected = EMPTY;
    private int expectedOffset;
    private int expectedLength;
    private DirectBuffer value = EMPTY;
    private int valueOffset;
    private int valueLength;
    private MutableDirectBuffer destination;
    private int destinationOffset;
    private long sentNs;
    private int attempts;
    private byte[] frameCopy;
    private boolean keyed;
    private boolean resendable;
    private long queuedInBatch;
    private int partition = NO_PARTITION;
    private int redirects;
    private int leaderWaits;
    private String route;

    /**
     * Creates a request.
     *
     * @param opcode the request opcode.
     * @param mapper maps the successful answer.
     * @param deadlineNs the {@link System#nanoTime()} by which the final answer must arrive.
     */
    PendingRequest(final int opcode, final ResponseMapper<T> mapper, final long deadlineNs) {
        this.opcode = opcode;
        this.mapper = mapper;
        this.deadlineNs = deadlineNs;
    }

    PendingRequest<T> ttlMs(final long ttlMs) {
        this.ttlMs = ttlMs;
        return this;
    }

    PendingRequest<T> key(final DirectBuffer buffer, final int offset, final int length) {
        this.keyed = true;
        this.key = buffer;
        this.keyOffset = offset;
        this.keyLength = length;
        return this;
    }

    PendingRequest<T> expected(final DirectBuffer buffer, final int offset, final int length) {
        this.expected = buffer;
        this.expectedOffset = offset;
        this.expectedLength = length;
        return this;
    }

    PendingRequest<T> value(final DirectBuffer buffer, final int offset, final int length) {
        this.value = buffer;
        this.valueOffset = offset;
        this.valueLength = length;
        return this;
    }

    PendingRequest<T> destination(final MutableDirectBuffer buffer, final int offset) {
        this.destination = buffer;
        this.destinationOffset = offset;
        return this;
    }

    /**
     * Maps a generic response and completes the future, with the mapper's exception when it throws.
     *
     * @param response the decoded, valid response.
     */
    void complete(final ResponseDecoder response) {
        final T result;
        try {
            result = mapper.map(response, this);
        } catch (final RuntimeException ex) {
            future.completeExceptionally(ex);
            return;
        }
        future.complete(result);
    }

    /**
     * Maps a HELLO_RESPONSE and completes the future, with the mapper's exception when it throws.
     *
     * @param hello the decoded, valid response.
     */
    void completeHello(final HelloResponseDecoder hello) {
        final T result;
        try {
            result = mapper.mapHello(hello, this);
        } catch (final RuntimeException ex) {
            future.completeExceptionally(ex);
            return;
        }
        future.complete(result);
    }

    /**
     * Fails the future unless it already completed.
     *
     * @param cause the failure.
     */
    void fail(final Throwable cause) {
        future.completeExceptionally(cause);
    }

    CompletableFuture<T> future() {
        return future;
    }

    int opcode() {
        return opcode;
    }

    long deadlineNs() {
        return deadlineNs;
    }

    long ttlMs() {
        return ttlMs;
    }

    DirectBuffer key() {
        return key;
    }

    int keyOffset() {
        return keyOffset;
    }

    int keyLength() {
        return keyLength;
    }

    DirectBuffer expected() {
        return expected;
    }

    int expectedOffset() {
        return expectedOffset;
    }

    int expectedLength() {
        return expectedLength;
    }

    DirectBuffer value() {
        return value;
    }

    int valueOffset() {
        return valueOffset;
    }

    int valueLength() {
        return valueLength;
    }

    MutableDirectBuffer destination() {
        return destination;
    }

    int destinationOffset() {
        return destinationOffset;
    }

    /**
     * Records one more send.
     *
     * @param nowNs the {@link System#nanoTime()} of the send.
     */
    void onSent(final long nowNs) {
        sentNs = nowNs;
        attempts++;
    }

    long sentNs() {
        return sentNs;
    }

    int attempts() {
        return attempts;
    }

    byte[] frameCopy() {
        return frameCopy;
    }

    /**
     * Tells whether the request names a key, so that it belongs to a partition.
     *
     * @return true for keyed map requests.
     */
    boolean keyed() {
        return keyed;
    }

    /**
     * Asks the connection to keep a copy of the frame when it encodes it, so that a redirect or a lost connection
     * can send it to another node although the caller may have reused its buffers since.
     */
    void makeResendable() {
        resendable = true;
    }

    /**
     * Tells whether the connection must keep a copy of the frame for re-sending elsewhere.
     *
     * @return true once {@link #makeResendable()} was called.
     */
    boolean resendable() {
        return resendable;
    }

    /**
     * Records the send batch the frame was appended to, so that a lost connection tells whether it was written.
     *
     * @param batch the connection's {@link SendBuffers#batch()} at the time of encoding.
     */
    void queuedInBatch(final long batch) {
        queuedInBatch = batch;
    }

    long queuedInBatch() {
        return queuedInBatch;
    }

    void partition(final int partitionId) {
        partition = partitionId;
    }

    int partition() {
        return partition;
    }

    int redirects() {
        return redirects;
    }

    /**
     * Records a redirect followed, for the redirect cap and its message.
     *
     * @param from the address that redirected.
     * @param to the address redirected to.
     */
    void redirected(final String from, final String to) {
        route = (route == null ? from : route) + " -> " + to;
        redirects++;
    }

    /**
     * Takes back the last redirect: its leader could not be reached, so it was no hop of a redirect loop.
     */
    void leaderUnreachable() {
        route = route + " (unreachable)";
        redirects--;
    }

    /**
     * The addresses the request was sent to, in order, once it was redirected.
     *
     * @return "a -> b -> ...", or null before the first redirect.
     */
    String route() {
        return route;
    }

    /**
     * Counts one more answer that no leader is known, for the backoff before the next attempt.
     *
     * @return the number of such answers so far, &gt;= 1.
     */
    int leaderUnknown() {
        return ++leaderWaits;
    }

    /**
     * Keeps a copy of the encoded frame, so that a retry sends the same bytes although the caller may have reused
     * its buffers since.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame.
     * @param length the frame length.
     */
    void keepFrame(final DirectBuffer buffer, final int offset, final int length) {
        frameCopy = new byte[length];
        buffer.getBytes(offset, frameCopy);
    }
}
