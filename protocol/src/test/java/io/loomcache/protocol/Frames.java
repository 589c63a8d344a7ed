package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;

import java.util.ArrayList;
import java.util.List;

import io.loomcache.testkit.gen.Gen;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test helpers: raw frame building, valid random frames and a handler that records and bounds-checks frames.
 */
final class Frames {
    static final ProtocolLimits SMALL_LIMITS = new ProtocolLimits(4096, 256, 1024);

    private Frames() {
    }

    static byte[] frame(final int opcode, final int flags, final long correlationId, final byte[] body) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER_LENGTH + body.length]);
        new FrameHeaderEncoder().wrap(buffer, 0).header(opcode, flags, correlationId, body.length);
        buffer.putBytes(HEADER_LENGTH, body);
        return buffer.byteArray();
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    static byte[] concat(final List<byte[]> parts) {
        int length = 0;
        for (final byte[] part : parts) {
            length += part.length;
        }
        final byte[] all = new byte[length];
        int position = 0;
        for (final byte[] part : parts) {
            System.arraycopy(part, 0, all, position, part.length);
            position += part.length;
        }
        return all;
    }

    /** A valid frame of any registered opcode: its header passes the FrameDecoder, its body bytes are arbitrary. */
    static byte[] validFrame(final Gen gen) {
        final int op = CommandTable.opcodeAt(gen.random().nextInt(CommandTable.size()));
        final int flags = gen.choice(0, FrameHeaderDescriptor.FLAG_NO_REPLY, FrameHeaderDescriptor.FLAG_BATCH,
            FrameHeaderDescriptor.KNOWN_FLAGS);
        final long correlationId = gen.anyLong();
        final byte[] extra = gen.bytes(48);
        final byte[] body = new byte[CommandTable.minBodyLength(op) + extra.length];
        System.arraycopy(extra, 0, body, body.length - extra.length, extra.length);
        return frame(op, flags, correlationId, body);
    }

    /** A stream of 1 to 12 valid frames. */
    static List<byte[]> validStream(final Gen gen) {
        return gen.list(1, 12, Frames::validFrame);
    }

    /** Records copies of delivered frames and checks every frame lies inside the bytes it was given. */
    static final class RecordingHandler implements FrameHandler {
        final List<byte[]> frames = new ArrayList<>();
        private final int maxFrameLength;
        private DirectBuffer src;
        private int srcStart;
        private int srcEnd;

        RecordingHandler(final int maxFrameLength) {
            this.maxFrameLength = maxFrameLength;
        }

        int feed(final FrameDecoder decoder, final DirectBuffer buffer, final int offset, final int length) {
            src = buffer;
            srcStart = offset;
            srcEnd = offset + length;
            return decoder.onBytes(buffer, offset, length);
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
            if (length < HEADER_LENGTH || length > maxFrameLength || offset < 0 ||
                offset > buffer.capacity() - length) {
                throw new AssertionError("frame out of bounds: offset=" + offset + " length=" + length);
            }
            if (buffer == src && (offset < srcStart || offset + length > srcEnd)) {
                throw new AssertionError("frame outside the given bytes: offset=" + offset + " length=" + length);
            }
            if (new FrameHeaderDecoder().wrap(buffer, offset).bodyLength() != length - HEADER_LENGTH) {
                throw new AssertionError("frame length disagrees with its header");
            }
            frames.add(copy(buffer, offset, length));
        }
    }
}
