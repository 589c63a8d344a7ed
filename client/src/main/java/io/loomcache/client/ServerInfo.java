package io.loomcache.client;

/**
 * What a server said about itself in its HELLO_RESPONSE, as seen by the client's first connection.
 *
 * @param address the "host:port" the client connected to.
 * @param protocolVersion the negotiated protocol version.
 * @param nodeId the server's node id.
 * @param maxFrameLength the largest frame the server accepts, in bytes, header included.
 * @param partitionCount the cluster's partition count.
 */
public record ServerInfo(String address, int protocolVersion, int nodeId, int maxFrameLength, int partitionCount) {
}
