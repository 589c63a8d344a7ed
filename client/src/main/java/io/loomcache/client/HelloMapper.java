package io.loomcache.client;

import static io.loomcache.protocol.FrameHeaderDescriptor.MAX_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.MIN_VERSION;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.HelloResponseDecoder;
import io.loomcache.protocol.ResponseDecoder;

/**
 * Maps the answer to HELLO into {@link ServerInfo}, refusing a negotiated version this client does not speak; any
 * generic response (other than the RESPONSE_ERROR handled before mapping) is a protocol violation.
 *
 * @param address the server's "host:port", for the info and the messages.
 */
record HelloMapper(String address) implements ResponseMapper<ServerInfo> {
    @Override
    public ServerInfo map(final ResponseDecoder response, final PendingRequest<ServerInfo> request) {
        throw ResponseMapper.unexpected(response.opcode(), request);
    }

    @Override
    public ServerInfo mapHello(final HelloResponseDecoder hello, final PendingRequest<ServerInfo> request) {
        final int version = hello.negotiatedVersion();
        if (!FrameHeaderDescriptor.isSupportedVersion(version)) {
            throw new LoomConnectionException("server at " + address + " chose protocol version " + version +
                ", this client speaks " + MIN_VERSION + ".." + MAX_VERSION);
        }
        return new ServerInfo(address, version, hello.nodeId(), hello.maxFrameLength(), hello.partitionCount());
    }
}
