package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.TIMEOUT_NOW_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight decoder of TIMEOUT_NOW (leadership transfer, thesis §3.10): the prefix only. Not thread-safe; allocates
 * nothing.
 */
public final class TimeoutNowDecoder extends RaftMessageDecoder {
    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.TIMEOUT_NOW;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        return fixedBody(TIMEOUT_NOW_BODY_LENGTH, -1);
    }
}
