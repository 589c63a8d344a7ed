package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.TIMEOUT_NOW_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight encoder of TIMEOUT_NOW (leadership transfer, thesis §3.10): the prefix only, frame header included;
 * the receiver starts an election at once. Use as {@link RaftMessageEncoder} says.
 */
public final class TimeoutNowEncoder extends RaftMessageEncoder<TimeoutNowEncoder> {
    /**
     * Creates an encoder; {@link #wrap} starts each frame.
     */
    public TimeoutNowEncoder() {
        super(Opcodes.TIMEOUT_NOW, TIMEOUT_NOW_BODY_LENGTH);
    }
}
