package io.loomcache.protocol;

import static io.loomcache.protocol.HelloDescriptor.CLIENT_NAME_OFFSET;
import static io.loomcache.protocol.HelloDescriptor.MAX_CLIENT_NAME_LENGTH;
import static io.loomcache.protocol.HelloDescriptor.MAX_VERSION_OFFSET;
import static io.loomcache.protocol.HelloDescriptor.MIN_VERSION_OFFSET;
import static io.loomcache.protocol.VarDataDescriptor.DATA_OFFSET;

import org.agrona.DirectBuffer;

/**
 * Flyweight decoder of {@link Opcodes#HELLO} ({@link HelloDescriptor}) with version negotiation. Invalid when a
 * version is 0, min &gt; max ({@link ErrorCode#INVALID_ARGUMENT}), the name is longer than
 * {@link HelloDescriptor#MAX_CLIENT_NAME_LENGTH} ({@link ErrorCode#INVALID_ARGUMENT}) or does not fit the body.
 * Not thread-safe; allocates nothing except {@link #clientNameAsString()}.
 */
public final class HelloDecoder extends MessageDecoder {
    /** Returned by negotiation when the version ranges do not overlap. */
    public static final int NO_COMMON_VERSION = -1;

    private int minVersion;
    private int maxVersion;
    private int clientNameOffset;
    private int clientNameLength;

    /**
     * Wraps and validates a frame; check {@link #isValid()} before using the fields.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame's header.
     * @param length the frame length, header included.
     * @return this.
     */
    public HelloDecoder wrap(final DirectBuffer buffer, final int offset, final int length) {
        decode(buffer, offset, length);
        return this;
    }

    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.HELLO;
    }

    @Override
    protected void clearBody() {
        minVersion = 0;
        maxVersion = 0;
        clientNameOffset = 0;
        clientNameLength = 0;
    }

    @Override
    protected int decodeBody(final int opcode, final int bodyOffset, final int limit) {
        final DirectBuffer buffer = buffer();
        minVersion = buffer.getByte(bodyOffset + MIN_VERSION_OFFSET) & 0xFF;
        maxVersion = buffer.getByte(bodyOffset + MAX_VERSION_OFFSET) & 0xFF;
        final int nameIndex = bodyOffset + CLIENT_NAME_OFFSET;
        if (minVersion == 0 || minVersion > maxVersion) {
            return -ErrorCode.INVALID_ARGUMENT;
        }
        final int length = VarData.dataLength(buffer, nameIndex, limit, MAX_CLIENT_NAME_LENGTH,
            ErrorCode.INVALID_ARGUMENT);
        if (length < 0) {
            return length;
        }
        clientNameOffset = nameIndex + DATA_OFFSET;
        clientNameLength = length;
        return clientNameOffset + length;
    }

    /**
     * The lowest version the client speaks.
     *
     * @return 1..255.
     */
    public int minVersion() {
        return minVersion;
    }

    /**
     * The highest version the client speaks.
     *
     * @return 1..255.
     */
    public int maxVersion() {
        return maxVersion;
    }

    /**
     * Index of the first client-name byte in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int clientNameOffset() {
        return clientNameOffset;
    }

    /**
     * The client name length.
     *
     * @return bytes.
     */
    public int clientNameLength() {
        return clientNameLength;
    }

    /**
     * The client name as UTF-8 text. Allocates: tests, tools and connection set-up logging only.
     *
     * @return a new string.
     */
    public String clientNameAsString() {
        return string(clientNameOffset, clientNameLength);
    }

    /**
     * Picks the version to speak with this client.
     *
     * @param serverMinVersion the lowest version the server speaks.
     * @param serverMaxVersion the highest version the server speaks.
     * @return the highest common version, or {@link #NO_COMMON_VERSION}.
     */
    public int negotiate(final int serverMinVersion, final int serverMaxVersion) {
        return negotiate(minVersion, maxVersion, serverMinVersion, serverMaxVersion);
    }

    /**
     * Picks the highest version in both ranges.
     *
     * @param clientMinVersion the client's lowest version.
     * @param clientMaxVersion the client's highest version.
     * @param serverMinVersion the server's lowest version.
     * @param serverMaxVersion the server's highest version.
     * @return the highest common version, or {@link #NO_COMMON_VERSION}.
     */
    public static int negotiate(
        final int clientMinVersion,
        final int clientMaxVersion,
        final int serverMinVersion,
        final int serverMaxVersion) {
        final int high = Math.min(clientMaxVersion, serverMaxVersion);
        final int low = Math.max(clientMinVersion, serverMinVersion);
        return high >= low ? high : NO_COMMON_VERSION;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        builder.append(" minVersion=").append(minVersion).append(" maxVersion=").append(maxVersion)
            .append(" clientNameLength=").append(clientNameLength);
    }
}
