package io.loomcache.client;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import com.esotericsoftware.kryo.Kryo;

import io.loomcache.protocol.HelloDescriptor;
import io.loomcache.protocol.ProtocolLimits;

/**
 * Configuration of a {@link LoomClient}: fluent setters, then {@link #conclude()} validates (the client calls it).
 * The server is one node ({@link #host(String)} and {@link #port(int)}), or the seed nodes of a cluster
 * ({@link #nodes(String)}), any one of which is enough to bootstrap. Not thread-safe while being configured; treat it
 * as immutable once handed to {@link LoomClient#connect}.
 */
public final class ClientContext {
    /** Default server host. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default server port of the binary protocol. */
    public static final int DEFAULT_PORT = 7654;
    /** Default number of connections, over which requests round-robin. */
    public static final int DEFAULT_CONNECTIONS = 1;
    /** Default request timeout in milliseconds, retries included. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
    /** Default connect (and handshake) timeout in milliseconds. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    /** Default maximum of requests in flight on one connection. */
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 1024;
    /** Default size of each connection's socket read buffer in bytes. */
    public static final int DEFAULT_READ_BUFFER_LENGTH = 64 * 1024;
    /** Default first SERVER_BUSY retry backoff in milliseconds. */
    public static final long DEFAULT_RETRY_INITIAL_BACKOFF_MS = 10;
    /** Default largest SERVER_BUSY retry backoff in milliseconds. */
    public static final long DEFAULT_RETRY_MAX_BACKOFF_MS = 1_000;
    /** Default client name sent in HELLO. */
    public static final String DEFAULT_CLIENT_NAME = "loomcache-java";
    /** Largest number of connections one client opens. */
    public static final int MAX_CONNECTIONS = 64;
    /** Largest maximum of requests in flight on one connection. */
    public static final int MAX_IN_FLIGHT_REQUESTS_LIMIT = 1 << 20;
    /** Largest number of SERVER_BUSY retries of one request. */
    public static final int MAX_BUSY_RETRIES_LIMIT = 100;
    /** Most RESPONSE_REDIRECTs naming a leader that one request follows; one more fails it with NOT_LEADER. */
    public static final int MAX_REDIRECTS = 5;
    /** First wait in milliseconds before asking again when a node knows no leader (an election is under way). */
    public static final long LEADER_BACKOFF_INITIAL_MS = 5;
    /** Longest wait in milliseconds between two such attempts; the waits double up to it. */
    public static final long LEADER_BACKOFF_MAX_MS = 50;

    private static final Consumer<Kryo> NO_REGISTRATIONS = kryo -> { };

    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private List<InetSocketAddress> nodes;
    private int connections = DEFAULT_CONNECTIONS;
    private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
    private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT_REQUESTS;
    private int maxBusyRetries;
    private long retryInitialBackoffMs = DEFAULT_RETRY_INITIAL_BACKOFF_MS;
    private long retryMaxBackoffMs = DEFAULT_RETRY_MAX_BACKOFF_MS;
    private ProtocolLimits limits = ProtocolLimits.DEFAULTS;
    private int sendBufferLength;
    private int readBufferLength = DEFAULT_READ_BUFFER_LENGTH;
    private String clientName = DEFAULT_CLIENT_NAME;
    private Consumer<Kryo> kryoRegistrations = NO_REGISTRATIONS;

    /**
     * Validates every setting; called by {@link LoomClient#connect(ClientContext)}.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first setting out of range.
     */
    public ClientContext conclude() {
        require(host != null && !host.isBlank(), "host must not be blank");
        require(port >= 0 && port <= 0xFFFF, "port must be in 0..65535: " + port);
        require(nodes == null || !nodes.isEmpty(), "nodes must name at least one host:port");
        require(connections >= 1 && connections <= MAX_CONNECTIONS,
            "connections must be in 1.." + MAX_CONNECTIONS + ": " + connections);
        require(requestTimeoutMs >= 1, "requestTimeoutMs must be >= 1: " + requestTimeoutMs);
        require(connectTimeoutMs >= 1 && connectTimeoutMs <= Integer.MAX_VALUE,
            "connectTimeoutMs must be in 1.." + Integer.MAX_VALUE + ": " + connectTimeoutMs);
        require(maxInFlightRequests >= 1 && maxInFlightRequests <= MAX_IN_FLIGHT_REQUESTS_LIMIT,
            "maxInFlightRequests must be in 1.." + MAX_IN_FLIGHT_REQUESTS_LIMIT + ": " + maxInFlightRequests);
        require(maxBusyRetries >= 0 && maxBusyRetries <= MAX_BUSY_RETRIES_LIMIT,
            "maxBusyRetries must be in 0.." + MAX_BUSY_RETRIES_LIMIT + ": " + maxBusyRetries);
        require(retryInitialBackoffMs >= 1 && retryMaxBackoffMs >= retryInitialBackoffMs,
            "retry backoff must satisfy 1 <= initial <= max: " + retryInitialBackoffMs + ", " + retryMaxBackoffMs);
        require(limits != null, "limits must not be null");
        require(sendBufferLength == 0 || sendBufferLength >= limits.maxFrameLength(),
            "sendBufferLength must hold a frame of maxFrameLength " + limits.maxFrameLength() + ": " +
            sendBufferLength);
        require(readBufferLength >= 1024, "readBufferLength must be >= 1024: " + readBufferLength);
        require(clientName != null
            && clientName.getBytes(StandardCharsets.UTF_8).length <= HelloDescriptor.MAX_CLIENT_NAME_LENGTH,
            "clientName must be at most " + HelloDescriptor.MAX_CLIENT_NAME_LENGTH + " UTF-8 bytes");
        require(kryoRegistrations != null, "kryoRegistrations must not be null");
        return this;
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The server host.
     *
     * @return a host name or address.
     */
    public String host() {
        return host;
    }

    /**
     * Sets the server host.
     *
     * @param host a host name or address.
     * @return this.
     */
    public ClientContext host(final String host) {
        this.host = host;
        return this;
    }

    /**
     * The server port.
     *
     * @return the TCP port.
     */
    public int port() {
        return port;
    }

    /**
     * Sets the server port.
     *
     * @param port the TCP port.
     * @return this.
     */
    public ClientContext port(final int port) {
        this.port = port;
        return this;
    }

    /**
     * The "host:port" this context points at: the first of {@link #nodes()}.
     *
     * @return the address as text.
     */
    public String address() {
        return nodes == null ? host + ":" + port : NodeAddresses.format(nodes.getFirst());
    }

    /**
     * The nodes the client bootstraps from, tried in order until one answers the handshake.
     *
     * @return the list given to {@link #nodes(List)} or {@link #nodes(String)}, else {@link #host()}:{@link #port()}
     *     alone; unmodifiable.
     */
    public List<InetSocketAddress> nodes() {
        return nodes == null ? List.of(InetSocketAddress.createUnresolved(host, port)) : nodes;
    }

    /**
     * Sets the seed nodes of a cluster, replacing {@link #host(String)} and {@link #port(int)}: the client connects to
     * the first that answers, sends a keyed request to the leader of its key's partition once it knows it (learnt
     * from RESPONSE_REDIRECT), falls over to the next node when one cannot be reached, and keeps a copy of each
     * request's frame so that a redirect can send it again. Without this setting (host and port only) the client
     * keeps no copies and computes no partitions until a node first redirects it, and does not reconnect.
     *
     * @param nodes comma-separated {@code host:port} entries, an IPv6 host in brackets, e.g.
     *     {@code "10.0.0.1:7654,10.0.0.2:7654,10.0.0.3:7654"}.
     * @return this.
     * @throws IllegalArgumentException naming the first entry that is not {@code host:port} with a port in 1..65535.
     */
    public ClientContext nodes(final String nodes) {
        this.nodes = NodeAddresses.parseList(nodes);
        return this;
    }

    /**
     * Sets the seed nodes of a cluster, as {@link #nodes(String)} does.
     *
     * @param nodes at least one address, resolved or not; copied.
     * @return this.
     */
    public ClientContext nodes(final List<InetSocketAddress> nodes) {
        this.nodes = List.copyOf(nodes);
        return this;
    }

    /**
     * Tells whether seed nodes were given, which makes the client route by partition from its first request.
     *
     * @return true after {@link #nodes(String)} or {@link #nodes(List)}.
     */
    boolean clustered() {
        return nodes != null;
    }

    /**
     * The number of connections.
     *
     * @return 1..{@link #MAX_CONNECTIONS}.
     */
    public int connections() {
        return connections;
    }

    /**
     * Sets the number of connections requests round-robin over.
     *
     * @param connections 1..{@link #MAX_CONNECTIONS}.
     * @return this.
     */
    public ClientContext connections(final int connections) {
        this.connections = connections;
        return this;
    }

    /**
     * The request timeout.
     *
     * @return milliseconds from the call to the final answer, SERVER_BUSY retries included.
     */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /**
     * Sets the request timeout; a request without a final answer by then fails with {@link LoomTimeoutException}.
     *
     * @param requestTimeoutMs milliseconds, &gt;= 1.
     * @return this.
     */
    public ClientContext requestTimeoutMs(final long requestTimeoutMs) {
        this.requestTimeoutMs = requestTimeoutMs;
        return this;
    }

    /**
     * The connect timeout.
     *
     * @return milliseconds for the TCP connect and, again, for the HELLO handshake.
     */
    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /**
     * Sets the connect timeout, applied to the TCP connect and to the HELLO handshake each.
     *
     * @param connectTimeoutMs milliseconds, &gt;= 1.
     * @return this.
     */
    public ClientContext connectTimeoutMs(final long connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
        return this;
    }

    /**
     * The maximum of requests in flight on one connection.
     *
     * @return the limit; callers beyond it wait for a slot until their request timeout.
     */
    public int maxInFlightRequests() {
        return maxInFlightRequests;
    }

    /**
     * Sets the maximum of requests in flight on one connection.
     *
     * @param maxInFlightRequests 1..{@link #MAX_IN_FLIGHT_REQUESTS_LIMIT}.
     * @return this.
     */
    public ClientContext maxInFlightRequests(final int maxInFlightRequests) {
        this.maxInFlightRequests = maxInFlightRequests;
        return this;
    }

    /**
     * The number of times a request answered SERVER_BUSY is sent again.
     *
     * @return 0 (the default) when retrying is off.
     */
    public int maxBusyRetries() {
        return maxBusyRetries;
    }

    /**
     * Turns on retrying of SERVER_BUSY answers with exponential backoff and jitter, within the request timeout.
     *
     * @param maxBusyRetries retries after the first attempt, 0 to turn retrying off.
     * @return this.
     */
    public ClientContext maxBusyRetries(final int maxBusyRetries) {
        this.maxBusyRetries = maxBusyRetries;
        return this;
    }

    /**
     * The first retry backoff.
     *
     * @return milliseconds.
     */
    public long retryInitialBackoffMs() {
        return retryInitialBackoffMs;
    }

    /**
     * Sets the first retry backoff, doubled on every further retry up to {@link #retryMaxBackoffMs()}.
     *
     * @param retryInitialBackoffMs milliseconds, &gt;= 1.
     * @return this.
     */
    public ClientContext retryInitialBackoffMs(final long retryInitialBackoffMs) {
        this.retryInitialBackoffMs = retryInitialBackoffMs;
        return this;
    }

    /**
     * The largest retry backoff.
     *
     * @return milliseconds.
     */
    public long retryMaxBackoffMs() {
        return retryMaxBackoffMs;
    }

    /**
     * Sets the largest retry backoff, which also caps the server's retry-after hint.
     *
     * @param retryMaxBackoffMs milliseconds, &gt;= the initial backoff.
     * @return this.
     */
    public ClientContext retryMaxBackoffMs(final long retryMaxBackoffMs) {
        this.retryMaxBackoffMs = retryMaxBackoffMs;
        return this;
    }

    /**
     * The protocol limits the client encodes within and decodes with.
     *
     * @return the limits.
     */
    public ProtocolLimits limits() {
        return limits;
    }

    /**
     * Sets the protocol limits; a request beyond them fails without being sent.
     *
     * @param limits the limits, normally those of the server.
     * @return this.
     */
    public ClientContext limits(final ProtocolLimits limits) {
        this.limits = limits;
        return this;
    }

    /**
     * The size of each of a connection's two send buffers.
     *
     * @return bytes: the set value, or the maximum frame length when left at 0.
     */
    public int sendBufferLength() {
        return sendBufferLength == 0 ? limits.maxFrameLength() : sendBufferLength;
    }

    /**
     * Sets the size of each of a connection's two send buffers (one filled by callers while the other is written).
     *
     * @param sendBufferLength bytes, at least the maximum frame length; 0 for that default.
     * @return this.
     */
    public ClientContext sendBufferLength(final int sendBufferLength) {
        this.sendBufferLength = sendBufferLength;
        return this;
    }

    /**
     * The size of each connection's read buffer.
     *
     * @return bytes.
     */
    public int readBufferLength() {
        return readBufferLength;
    }

    /**
     * Sets the size of each connection's read buffer.
     *
     * @param readBufferLength bytes, &gt;= 1024.
     * @return this.
     */
    public ClientContext readBufferLength(final int readBufferLength) {
        this.readBufferLength = readBufferLength;
        return this;
    }

    /**
     * The client name sent in HELLO.
     *
     * @return the name.
     */
    public String clientName() {
        return clientName;
    }

    /**
     * Sets the client name sent in HELLO, shown in server logs.
     *
     * @param clientName at most {@link HelloDescriptor#MAX_CLIENT_NAME_LENGTH} UTF-8 bytes.
     * @return this.
     */
    public ClientContext clientName(final String clientName) {
        this.clientName = clientName;
        return this;
    }

    /**
     * The Kryo registrations of typed maps.
     *
     * @return the callback applied to every pooled Kryo instance.
     */
    public Consumer<Kryo> kryoRegistrations() {
        return kryoRegistrations;
    }

    /**
     * Sets the classes typed maps may serialize: the callback registers them on every pooled Kryo instance, in the
     * same order (or with the same explicit ids) in every client that shares the data. A class registered with Kryo's
     * default serializer is read without trusting the bytes: no length in them is allocated beyond what the bytes
     * can hold. A serializer the callback names explicitly is used as given, and must bound the lengths it reads
     * itself (strings and primitive arrays read through its {@code Input} are bounded).
     *
     * @param kryoRegistrations for example {@code kryo -> { kryo.register(Order.class); }}.
     * @return this.
     */
    public ClientContext kryoRegistrations(final Consumer<Kryo> kryoRegistrations) {
        this.kryoRegistrations = kryoRegistrations;
        return this;
    }
}
