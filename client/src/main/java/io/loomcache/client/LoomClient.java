package io.loomcache.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.esotericsoftware.kryo.Kryo;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.PartitionTableCodec;

/**
 * Asynchronous, pipelined LoomCache client over one or more persistent connections per node (requests round-robin
 * over them). Every operation returns at once with a {@link CompletableFuture}; many requests are in flight per
 * connection and are matched to their answers by correlation id. A future fails with {@link LoomErrorException} (a
 * stable error code; OUTCOME_UNKNOWN when a leader lost leadership after proposing a write), {@link
 * LoomServerBusyException}, {@link LoomTimeoutException} or {@link LoomConnectionException} (connection lost, outcome
 * unknown). Futures complete on a connection's reader thread: a non-async dependent action runs there and must not
 * block. Keys and values are copied into the send buffer before a method returns, so the caller may reuse its arrays
 * and buffers at once. Thread-safe. This version serves one map, {@link #MAP_ID}.
 *
 * <p>Against a cluster the client follows RESPONSE_REDIRECT to the leader of the key's partition and caches the
 * leader per partition, so a stable cluster costs at most one redirect per partition; it waits out elections and
 * passes over nodes it cannot reach (see {@link ClientContext#nodes(String)}; the rules are in
 * {@link RequestRouter}). A client given only host and port does not reconnect: once every connection is lost,
 * create a new client; one given nodes opens connections to whichever node it needs.
 */
public final class LoomClient implements AutoCloseable {
    /** The only map this version serves. */
    public static final int MAP_ID = 0;
    /** Returned by {@link #get(DirectBuffer, int, int, MutableDirectBuffer, int)} for a missing key. */
    public static final int NOT_FOUND = -1;

    private final ClientContext context;
    private final RequestRouter router;
    private final TimeoutSweeper sweeper;
    private final long requestTimeoutNs;
    private final LoomBlockingClient blocking;
    private volatile KryoCodec contextCodec;

    private LoomClient(final ClientContext context, final RequestRouter router) {
        this.context = context;
        this.router = router;
        this.requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(context.requestTimeoutMs());
        this.sweeper = new TimeoutSweeper(router, context.requestTimeoutMs())
            .start("loomcache-timer " + context.address());
        this.blocking = new LoomBlockingClient(this);
    }

    /**
     * Validates the context, opens the connections to the first of its nodes that answers and performs the HELLO
     * handshake on each.
     *
     * @param context the configuration.
     * @return a connected client; close it.
     * @throws LoomConnectionException when no node can be connected or every one refuses the handshake.
     * @throws IllegalArgumentException when the context is invalid.
     */
    public static LoomClient connect(final ClientContext context) {
        context.conclude();
        final LoomClient client = new LoomClient(context, new RequestRouter(context));
        if (context.clustered()) {
            client.learnPartitionTable();
        }
        return client;
    }

    /**
     * Reads the bootstrap member's partition table once, so that requests go to their partition's leader from the
     * first one; without it (a member that cannot answer in time, or a node that is no cluster member) the client
     * learns leaders from redirects, at most one per partition.
     */
    private void learnPartitionTable() {
        try {
            router.adopt(partitionTable().get(context.requestTimeoutMs(), TimeUnit.MILLISECONDS));
        } catch (final ExecutionException | TimeoutException ex) {
            // redirects route as well, one more round trip per partition
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Connects one connection with default settings.
     *
     * @param host the server host.
     * @param port the server port.
     * @return a connected client; close it.
     * @throws LoomConnectionException when the connection cannot be opened.
     */
    public static LoomClient connect(final String host, final int port) {
        return connect(new ClientContext().host(host).port(port));
    }

    /**
     * Reads a value.
     *
     * @param key the key.
     * @return a future of a new array holding the value, or of null when the key is absent.
     */
    public CompletableFuture<byte[]> get(final byte[] key) {
        return keyed(Opcodes.MAP_GET, ResponseMappers.VALUE, wrap(key), 0, key.length);
    }

    /**
     * Reads a value into the caller's buffer, without allocating a value array.
     *
     * @param key the buffer holding the key.
     * @param keyOffset the index of the key.
     * @param keyLength the key length in bytes.
     * @param destination receives the value (an expandable buffer grows; another must have room).
     * @param destinationOffset the index to copy the value to.
     * @return a future of the value length, or of {@link #NOT_FOUND}; fails with VALUE_TOO_LONG when the
     *     destination has no room.
     */
    public CompletableFuture<Integer> get(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final MutableDirectBuffer destination,
        final int destinationOffset) {
        checkBounds(key, keyOffset, keyLength);
        Objects.requireNonNull(destination, "destination");
        if (destinationOffset < 0) {
            throw new IndexOutOfBoundsException("destinationOffset must be >= 0: " + destinationOffset);
        }
        return submit(request(Opcodes.MAP_GET, ResponseMappers.VALUE_INTO)
            .key(key, keyOffset, keyLength).destination(destination, destinationOffset));
    }

    /**
     * Stores a value without TTL.
     *
     * @param key the key.
     * @param value the value.
     * @return a future completed when the server acknowledged the write (as durable as its persistence policy).
     */
    public CompletableFuture<Void> put(final byte[] key, final byte[] value) {
        return put(key, value, 0);
    }

    /**
     * Stores a value.
     *
     * @param key the key.
     * @param value the value.
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return a future completed when the server acknowledged the write.
     */
    public CompletableFuture<Void> put(final byte[] key, final byte[] value, final long ttlMs) {
        return stored(Opcodes.MAP_PUT, ResponseMappers.OK, wrap(key), 0, key.length, wrap(value), 0, value.length,
            ttlMs);
    }

    /**
     * Stores a value from buffers.
     *
     * @param key the buffer holding the key.
     * @param keyOffset the index of the key.
     * @param keyLength the key length in bytes.
     * @param value the buffer holding the value.
     * @param valueOffset the index of the value.
     * @param valueLength the value length in bytes.
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return a future completed when the server acknowledged the write.
     */
    public CompletableFuture<Void> put(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long ttlMs) {
        return stored(Opcodes.MAP_PUT, ResponseMappers.OK, key, keyOffset, keyLength, value, valueOffset, valueLength,
            ttlMs);
    }

    /**
     * Stores a value only when the key is absent, without TTL.
     *
     * @param key the key.
     * @param value the value.
     * @return a future of true when stored, false when the key was present.
     */
    public CompletableFuture<Boolean> putIfAbsent(final byte[] key, final byte[] value) {
        return putIfAbsent(key, value, 0);
    }

    /**
     * Stores a value only when the key is absent.
     *
     * @param key the key.
     * @param value the value.
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return a future of true when stored, false when the key was present.
     */
    public CompletableFuture<Boolean> putIfAbsent(final byte[] key, final byte[] value, final long ttlMs) {
        return stored(Opcodes.MAP_PUT_IF_ABSENT, ResponseMappers.BOOLEAN, wrap(key), 0, key.length, wrap(value), 0,
            value.length, ttlMs);
    }

    /**
     * Stores a value from buffers only when the key is absent.
     *
     * @param key the buffer holding the key.
     * @param keyOffset the index of the key.
     * @param keyLength the key length in bytes.
     * @param value the buffer holding the value.
     * @param valueOffset the index of the value.
     * @param valueLength the value length in bytes.
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return a future of true when stored, false when the key was present.
     */
    public CompletableFuture<Boolean> putIfAbsent(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long ttlMs) {
        return stored(Opcodes.MAP_PUT_IF_ABSENT, ResponseMappers.BOOLEAN, key, keyOffset, keyLength, value,
            valueOffset, valueLength, ttlMs);
    }

    /**
     * Compare-and-set: replaces the value only when the current value equals {@code expected} byte for byte; the
     * entry keeps its TTL.
     *
     * @param key the key.
     * @param expected the value the entry must hold.
     * @param newValue the value to store.
     * @return a future of true when replaced, false when absent or different.
     */
    public CompletableFuture<Boolean> replace(final byte[] key, final byte[] expected, final byte[] newValue) {
        return submit(request(Opcodes.MAP_REPLACE, ResponseMappers.BOOLEAN).key(wrap(key), 0, key.length)
            .expected(wrap(expected), 0, expected.length).value(wrap(newValue), 0, newValue.length));
    }

    /**
     * Compare-and-set from buffers.
     *
     * @param key the buffer holding the key.
     * @param keyOffset the index of the key.
     * @param keyLength the key length in bytes.
     * @param expected the buffer holding the expected value.
     * @param expectedOffset the index of the expected value.
     * @param expectedLength the expected value length in bytes.
     * @param newValue the buffer holding the new value.
     * @param newValueOffset the index of the new value.
     * @param newValueLength the new value length in bytes.
     * @return a future of true when replaced, false when absent or different.
     */
    public CompletableFuture<Boolean> replace(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer expected,
        final int expectedOffset,
        final int expectedLength,
        final DirectBuffer newValue,
        final int newValueOffset,
        final int newValueLength) {
        checkBounds(key, keyOffset, keyLength);
        checkBounds(expected, expectedOffset, expectedLength);
        checkBounds(newValue, newValueOffset, newValueLength);
        return submit(request(Opcodes.MAP_REPLACE, ResponseMappers.BOOLEAN).key(key, keyOffset, keyLength)
            .expected(expected, expectedOffset, expectedLength).value(newValue, newValueOffset, newValueLength));
    }

    /**
     * Removes a key.
     *
     * @param key the key.
     * @return a future of true when an entry was removed.
     */
    public CompletableFuture<Boolean> remove(final byte[] key) {
        return keyed(Opcodes.MAP_REMOVE, ResponseMappers.BOOLEAN, wrap(key), 0, key.length);
    }

    /**
     * Removes a key given in a buffer.
     *
     * @param key the buffer holding the key.
     * @param keyOffset the index of the key.
     * @param keyLength the key length in bytes.
     * @return a future of true when an entry was removed.
     */
    public CompletableFuture<Boolean> remove(final DirectBuffer key, final int keyOffset, final int keyLength) {
        return keyed(Opcodes.MAP_REMOVE, ResponseMappers.BOOLEAN, key, keyOffset, keyLength);
    }

    /**
     * Tells whether a key is present.
     *
     * @param key the key.
     * @return a future of true when present.
     */
    public CompletableFuture<Boolean> containsKey(final byte[] key) {
        return keyed(Opcodes.MAP_CONTAINS_KEY, ResponseMappers.BOOLEAN, wrap(key), 0, key.length);
    }

    /**
     * Tells whether a key given in a buffer is present.
     *
     * @param key the buffer holding the key.
     * @param keyOffset the index of the key.
     * @param keyLength the key length in bytes.
     * @return a future of true when present.
     */
    public CompletableFuture<Boolean> containsKey(final DirectBuffer key, final int keyOffset, final int keyLength) {
        return keyed(Opcodes.MAP_CONTAINS_KEY, ResponseMappers.BOOLEAN, key, keyOffset, keyLength);
    }

    /**
     * Counts the entries of the node (the node the client bootstrapped from; a cluster node may answer
     * UNSUPPORTED_OPERATION).
     *
     * @return a future of the number of entries.
     */
    public CompletableFuture<Long> size() {
        return submit(request(Opcodes.MAP_SIZE, ResponseMappers.LONG));
    }

    /**
     * Removes every entry (an ADMIN command). Against a cluster whose partition table was read at connect, one
     * MAP_CLEAR_GROUP goes to the leader of each Raft group, through its log: the future completes once every group
     * acknowledged, and fails if one did not (the groups that did are cleared). Without a table a cluster member
     * answers MAP_CLEAR with UNSUPPORTED_OPERATION.
     *
     * @return a future completed when the server (every group) acknowledged.
     */
    public CompletableFuture<Void> clear() {
        final byte[][] groupKeys = router.groupKeys();
        if (groupKeys == null) {
            return submit(request(Opcodes.MAP_CLEAR, ResponseMappers.OK));
        }
        final CompletableFuture<?>[] groups = new CompletableFuture<?>[groupKeys.length];
        for (int i = 0; i < groupKeys.length; i++) {
            groups[i] = keyed(Opcodes.MAP_CLEAR_GROUP, ResponseMappers.OK, wrap(groupKeys[i]), 0,
                groupKeys[i].length);
        }
        return CompletableFuture.allOf(groups);
    }

    /**
     * Asks the node the client bootstrapped from for the cluster's partition table (its view: members, and each Raft
     * group's leader and term); a single node answers UNSUPPORTED_OPERATION.
     *
     * @return a future of the decoded table.
     */
    public CompletableFuture<PartitionTableCodec.Table> partitionTable() {
        return submit(request(Opcodes.PARTITION_TABLE, ResponseMappers.VALUE)).thenApply(value -> {
            final PartitionTableCodec.Table table = value == null ? null :
                PartitionTableCodec.decode(new UnsafeBuffer(value), 0, value.length);
            if (table == null) {
                throw new LoomErrorException(ErrorCode.MALFORMED_FRAME, "malformed partition table");
            }
            return table;
        });
    }

    /**
     * Sends PING and measures the round trip.
     *
     * @return a future of the round-trip time in nanoseconds, from queueing to the answer.
     */
    public CompletableFuture<Long> ping() {
        return submit(request(Opcodes.PING, ResponseMappers.ROUND_TRIP_NS));
    }

    /**
     * A typed view of the map whose keys and values are serialized with pooled Kryo instances registered by
     * {@link ClientContext#kryoRegistrations(Consumer)}; registration is required.
     *
     * @param keyClass the key type.
     * @param valueClass the value type.
     * @param <K> the key type.
     * @param <V> the value type.
     * @return a view sharing this client's connections and the context's Kryo pool.
     */
    public <K, V> LoomMap<K, V> map(final Class<K> keyClass, final Class<V> valueClass) {
        KryoCodec codec = contextCodec;
        if (codec == null) {
            synchronized (this) {
                codec = contextCodec;
                if (codec == null) {
                    codec = new KryoCodec(context.kryoRegistrations(), context.limits().maxValueLength());
                    contextCodec = codec;
                }
            }
        }
        return new LoomMap<>(this, codec, keyClass, valueClass);
    }

    /**
     * A typed view with registrations of its own (and a Kryo pool of its own: create it once and keep it).
     *
     * @param keyClass the key type.
     * @param valueClass the value type.
     * @param registrations registers the classes the view may serialize.
     * @param <K> the key type.
     * @param <V> the value type.
     * @return a view sharing this client's connections.
     */
    public <K, V> LoomMap<K, V> map(
        final Class<K> keyClass, final Class<V> valueClass, final Consumer<Kryo> registrations) {
        return new LoomMap<>(this, new KryoCodec(registrations, context.limits().maxValueLength()),
            keyClass, valueClass);
    }

    /**
     * The blocking facade over this client.
     *
     * @return a view sharing this client's connections; closing it closes this client.
     */
    public LoomBlockingClient blocking() {
        return blocking;
    }

    /**
     * What the server said in its HELLO_RESPONSE to the first connection (to the node the client bootstrapped from).
     *
     * @return the server info.
     */
    public ServerInfo serverInfo() {
        return router.serverInfo();
    }

    /**
     * The validated configuration.
     *
     * @return the context.
     */
    public ClientContext context() {
        return context;
    }

    /**
     * Tells whether at least one connection is open.
     *
     * @return false once every connection was lost or the client closed.
     */
    public boolean isConnected() {
        for (final Connection connection : router.connections()) {
            if (!connection.isClosed()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number of connections still open, to every node.
     *
     * @return 0..connections per node; requests go only to open ones.
     */
    public int openConnections() {
        int count = 0;
        for (final Connection connection : router.connections()) {
            count += connection.isClosed() ? 0 : 1;
        }
        return count;
    }

    /**
     * The number of requests in flight over all connections.
     *
     * @return the count at the time of the call.
     */
    public int inFlightRequests() {
        int count = 0;
        for (final Connection connection : router.connections()) {
            count += connection.inFlightCount();
        }
        return count;
    }

    /**
     * Redirects to a partition's leader that requests followed: at most one per partition while the cluster is stable,
     * none once the partition table read at connect named the leaders.
     *
     * @return the count since connect.
     */
    public long redirectsFollowed() {
        return router.redirectsFollowed();
    }

    /**
     * The number of responses dropped because their request was no longer in flight (it had timed out).
     *
     * @return the count since connect.
     */
    public long droppedResponses() {
        long count = router.retiredDroppedResponses();
        for (final Connection connection : router.connections()) {
            count += connection.droppedResponses();
        }
        return count;
    }

    /**
     * Closes every connection at once: requests in flight fail with {@link LoomConnectionException}; idempotent.
     */
    @Override
    public void close() {
        sweeper.stop();
        router.close(new LoomConnectionException("client closed"));
    }

    <T> CompletableFuture<T> submit(final PendingRequest<T> request) {
        router.send(request);
        return request.future();
    }

    <T> PendingRequest<T> request(final int opcode, final ResponseMapper<T> mapper) {
        return new PendingRequest<>(opcode, mapper, System.nanoTime() + requestTimeoutNs);
    }

    /** Sends a request that names only a key (in bounds of its buffer). */
    private <T> CompletableFuture<T> keyed(final int opcode, final ResponseMapper<T> mapper, final DirectBuffer key,
        final int keyOffset, final int keyLength) {
        checkBounds(key, keyOffset, keyLength);
        return submit(request(opcode, mapper).key(key, keyOffset, keyLength));
    }

    /** Sends a request that stores a value under a key (both in bounds of their buffers) with a TTL. */
    private <T> CompletableFuture<T> stored(final int opcode, final ResponseMapper<T> mapper, final DirectBuffer key,
        final int keyOffset, final int keyLength, final DirectBuffer value, final int valueOffset,
        final int valueLength, final long ttlMs) {
        checkBounds(key, keyOffset, keyLength);
        checkBounds(value, valueOffset, valueLength);
        return submit(request(opcode, mapper).ttlMs(checkTtl(ttlMs)).key(key, keyOffset, keyLength)
            .value(value, valueOffset, valueLength));
    }

    private static DirectBuffer wrap(final byte[] bytes) {
        return new UnsafeBuffer(Objects.requireNonNull(bytes, "key and value arrays must not be null"));
    }

    private static void checkBounds(final DirectBuffer buffer, final int offset, final int length) {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException(
                "offset " + offset + " length " + length + " outside buffer of capacity " + buffer.capacity());
        }
    }

    private static long checkTtl(final long ttlMs) {
        if (ttlMs < 0) {
            throw new IllegalArgumentException("ttlMs must be >= 0: " + ttlMs);
        }
        return ttlMs;
    }
}
