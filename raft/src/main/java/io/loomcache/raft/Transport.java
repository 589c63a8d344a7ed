package io.loomcache.raft;

import org.agrona.DirectBuffer;

/**
 * Outbound side of the network as a Raft member sees it. A message is one whole LoomCache frame (16-byte header and
 * body) encoded by the Raft codecs of {@code io.loomcache.protocol.raft}; the transport copies the bytes before
 * returning, so the caller reuses its buffer at once.
 *
 * <p>{@code send} never blocks and never throws: a message the transport cannot take now (no connection, full
 * buffer, peer unknown) is dropped, and Raft treats the loss as an arbitrarily long delay, which its retries cover.
 */
@FunctionalInterface
public interface Transport {
    /**
     * Hands one frame to the network.
     *
     * @param peerId the member id of the destination.
     * @param buffer holds the frame.
     * @param offset index of the frame's first byte.
     * @param length frame length in bytes.
     * @return true if the transport took the frame, false if it dropped it (the caller may count drops).
     */
    boolean send(int peerId, DirectBuffer buffer, int offset, int length);
}
