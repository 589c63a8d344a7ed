package io.loomcache.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Blocking facade over a {@link LoomClient}: the same operations, each waiting for its answer and throwing the
 * client's exceptions unwrapped ({@link LoomErrorException}, {@link LoomServerBusyException},
 * {@link LoomTimeoutException}, {@link LoomConnectionException}); a wait never outlasts the request timeout, since
 * the client fails every request by then. Thread-safe; many threads may block on it at once, and their requests are
 * pipelined.
 */
public final class LoomBlockingClient implements AutoCloseable {
    private final LoomClient client;

    LoomBlockingClient(final LoomClient client) {
        this.client = client;
    }

    /**
     * Connects a client and returns its blocking facade.
     *
     * @param context the configuration.
     * @return the facade; closing it closes the client.
     * @throws LoomConnectionException when the client cannot connect.
     */
    public static LoomBlockingClient connect(final ClientContext context) {
        return LoomClient.connect(context).blocking();
    }

    /**
     * Reads a value.
     *
     * @param key the key.
     * @return the value, or null when absent.
     */
    public byte[] get(final byte[] key) {
        return await(client.get(key));
    }

    /**
     * Reads a value into the caller's buffer.
     *
     * @param key the buffer holding the key.
     * @param keyOffset the index of the key.
     * @param keyLength the key length.
     * @param destination receives the value.
     * @param destinationOffset the index to copy to.
     * @return the value length, or {@link LoomClient#NOT_FOUND}.
     */
    public int get(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final MutableDirectBuffer destination,
        final int destinationOffset) {
        return await(client.get(key, keyOffset, keyLength, destination, destinationOffset));
    }

    /**
     * Reads a UTF-8 value by UTF-8 key, for tests and tools.
     *
     * @param key the key text.
     * @return the value text, or null when absent.
     */
    public String getString(final String key) {
        final byte[] value = get(key.getBytes(StandardCharsets.UTF_8));
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Stores a value without TTL.
     *
     * @param key the key.
     * @param value the value.
     */
    public void put(final byte[] key, final byte[] value) {
        await(client.put(key, value));
    }

    /**
     * Stores a value.
     *
     * @param key the key.
     * @param value the value.
     * @param ttlMs time to live in milliseconds, 0 for none.
     */
    public void put(final byte[] key, final byte[] value, final long ttlMs) {
        await(client.put(key, value, ttlMs));
    }

    /**
     * Stores a UTF-8 value under a UTF-8 key without TTL, for tests and tools.
     *
     * @param key the key text.
     * @param value the value text.
     */
    public void putString(final String key, final String value) {
        put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stores a value when the key is absent.
     *
     * @param key the key.
     * @param value the value.
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return true when stored.
     */
    public boolean putIfAbsent(final byte[] key, final byte[] value, final long ttlMs) {
        return await(client.putIfAbsent(key, value, ttlMs));
    }

    /**
     * Compare-and-set.
     *
     * @param key the key.
     * @param expected the value the entry must hold.
     * @param newValue the value to store.
     * @return true when replaced.
     */
    public boolean replace(final byte[] key, final byte[] expected, final byte[] newValue) {
        return await(client.replace(key, expected, newValue));
    }

    /**
     * Removes a key.
     *
     * @param key the key.
     * @return true when an entry was removed.
     */
    public boolean remove(final byte[] key) {
        return await(client.remove(key));
    }

    /**
     * Tells whether a key is present.
     *
     * @param key the key.
     * @return true when present.
     */
    public boolean containsKey(final byte[] key) {
        return await(client.containsKey(key));
    }

    /**
     * Counts the node's entries.
     *
     * @return the number of entries.
     */
    public long size() {
        return await(client.size());
    }

    /**
     * Removes every entry of the node.
     */
    public void clear() {
        await(client.clear());
    }

    /**
     * Sends PING.
     *
     * @return the round-trip time in nanoseconds.
     */
    public long ping() {
        return await(client.ping());
    }

    /**
     * The asynchronous client behind this facade.
     *
     * @return the client.
     */
    public LoomClient async() {
        return client;
    }

    /**
     * Closes the client behind this facade.
     */
    @Override
    public void close() {
        client.close();
    }

    /**
     * Waits for a future of this client and unwraps its failure.
     *
     * @param future the future.
     * @param <T> the result type.
     * @return the result.
     * @throws LoomException the failure, unwrapped; {@link LoomException} when interrupted.
     */
    public static <T> T await(final CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (final ExecutionException ex) {
            final Throwable cause = ex.getCause();
            if (cause instanceof final RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof final Error error) {
                throw error;
            }
            throw new LoomException(String.valueOf(cause), cause);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LoomException("interrupted while waiting for a response", ex);
        }
    }
}
