package io.loomcache.client;

import java.util.concurrent.CompletableFuture;

/**
 * A typed view of the served map: keys and values are serialized with pooled Kryo instances that require
 * registration (see {@link ClientContext#kryoRegistrations(java.util.function.Consumer)}). Keys must serialize
 * deterministically (equal keys to equal bytes: records, strings, boxed numbers do; hash-ordered collections do
 * not), and {@link #replace} compares serialized bytes. Serializing happens on the calling thread and throws
 * {@link LoomSerializationException} before anything is sent; deserializing happens when the answer arrives and fails
 * the future with it. Thread-safe.
 *
 * @param <K> the key type.
 * @param <V> the value type.
 */
public final class LoomMap<K, V> {
    private final LoomClient client;
    private final KryoCodec codec;
    private final Class<K> keyClass;
    private final Class<V> valueClass;

    LoomMap(final LoomClient client, final KryoCodec codec, final Class<K> keyClass, final Class<V> valueClass) {
        this.client = client;
        this.codec = codec;
        this.keyClass = keyClass;
        this.valueClass = valueClass;
    }

    /**
     * Reads a value. Any client may have written any bytes under the key: bytes that cannot be decoded (corrupt,
     * truncated, of an unregistered class or another type, declaring lengths they do not hold, nested too deeply)
     * fail the future with {@link LoomSerializationException}, whatever went wrong inside Kryo, and decoding a value
     * of {@code n} bytes allocates O(n).
     *
     * @param key the key.
     * @return a future of the value, or of null when absent.
     * @throws LoomSerializationException when the key cannot be serialized.
     */
    public CompletableFuture<V> get(final K key) {
        return client.get(serializeKey(key)).thenApply(bytes -> bytes == null ? null :
            codec.deserialize(bytes, valueClass));
    }

    /**
     * Stores a value without TTL.
     *
     * @param key the key.
     * @param value the value.
     * @return a future completed when the server acknowledged.
     * @throws LoomSerializationException when the key or value cannot be serialized.
     */
    public CompletableFuture<Void> put(final K key, final V value) {
        return put(key, value, 0);
    }

    /**
     * Stores a value.
     *
     * @param key the key.
     * @param value the value.
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return a future completed when the server acknowledged.
     * @throws LoomSerializationException when the key or value cannot be serialized.
     */
    public CompletableFuture<Void> put(final K key, final V value, final long ttlMs) {
        return client.put(serializeKey(key), serializeValue(value), ttlMs);
    }

    /**
     * Stores a value when the key is absent.
     *
     * @param key the key.
     * @param value the value.
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return a future of true when stored.
     * @throws LoomSerializationException when the key or value cannot be serialized.
     */
    public CompletableFuture<Boolean> putIfAbsent(final K key, final V value, final long ttlMs) {
        return client.putIfAbsent(serializeKey(key), serializeValue(value), ttlMs);
    }

    /**
     * Compare-and-set on the serialized forms.
     *
     * @param key the key.
     * @param expected the value the entry must hold (compared as serialized bytes).
     * @param newValue the value to store.
     * @return a future of true when replaced.
     * @throws LoomSerializationException when an argument cannot be serialized.
     */
    public CompletableFuture<Boolean> replace(final K key, final V expected, final V newValue) {
        return client.replace(serializeKey(key), serializeValue(expected), serializeValue(newValue));
    }

    /**
     * Removes a key.
     *
     * @param key the key.
     * @return a future of true when an entry was removed.
     * @throws LoomSerializationException when the key cannot be serialized.
     */
    public CompletableFuture<Boolean> remove(final K key) {
        return client.remove(serializeKey(key));
    }

    /**
     * Tells whether a key is present.
     *
     * @param key the key.
     * @return a future of true when present.
     * @throws LoomSerializationException when the key cannot be serialized.
     */
    public CompletableFuture<Boolean> containsKey(final K key) {
        return client.containsKey(serializeKey(key));
    }

    private byte[] serializeKey(final K key) {
        return codec.serialize(keyClass.cast(key), "key");
    }

    private byte[] serializeValue(final V value) {
        return codec.serialize(valueClass.cast(value), "value");
    }
}
