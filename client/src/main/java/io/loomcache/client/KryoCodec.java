package io.loomcache.client;

import java.util.function.Consumer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;

/**
 * Serializes the keys and values of typed maps with pooled Kryo instances that require registration. Objects are
 * written with their registered class id ({@code writeClassAndObject}), so a value may be of any registered subtype.
 * Any client can write any bytes under a key, so reading treats them as hostile: bytes that name a class instead of
 * giving a registered id are refused before the class is even loaded, an unregistered id is refused before anything
 * is constructed, and no length in the bytes is allocated beyond what the bytes can hold (see {@link BoundedKryo}),
 * so decoding a form of {@code n} bytes allocates O(n). Whatever goes wrong while decoding, the caller sees a
 * {@link LoomSerializationException}. Thread-safe: every call borrows a Kryo and a buffer from bounded pools; a Kryo
 * whose call failed is dropped, not returned, since a failure can leave it mid-graph.
 */
final class KryoCodec {
    private static final int POOL_CAPACITY = 64;
    private static final int INITIAL_OUTPUT_LENGTH = 256;

    private final Pool<BoundedKryo> kryos;
    private final Pool<Output> outputs;

    /**
     * Creates a codec.
     *
     * @param registrations registers every class the maps may carry, on every pooled Kryo.
     * @param maxLength the largest serialized form in bytes.
     */
    KryoCodec(final Consumer<Kryo> registrations, final int maxLength) {
        this.kryos = new Pool<>(true, false, POOL_CAPACITY) {
            @Override
            protected BoundedKryo create() {
                final BoundedKryo kryo = new BoundedKryo();
                registrations.accept(kryo);
                return kryo;
            }
        };
        this.outputs = new Pool<>(true, false, POOL_CAPACITY) {
            @Override
            protected Output create() {
                return new Output(Math.min(INITIAL_OUTPUT_LENGTH, maxLength), maxLength);
            }
        };
    }

    /**
     * Serializes an object of a registered class.
     *
     * @param object the object, not null.
     * @param role "key" or "value", for the message.
     * @return a new array holding the serialized form.
     * @throws LoomSerializationException when the class (or a class it refers to) is not registered, the form is
     *     longer than the limit, or its collections declare more elements than a reader accepts (more than one per
     *     byte of the form plus {@value ElementBudget#ALLOWANCE}: long runs of nulls or of field-less objects).
     */
    byte[] serialize(final Object object, final String role) {
        if (object == null) {
            throw new NullPointerException(role + " must not be null");
        }
        final BoundedKryo kryo = kryos.obtain();
        final Output output = outputs.obtain();
        final byte[] bytes;
        final boolean readable;
        final long elements;
        try {
            output.reset();
            kryo.elements().startWriting();
            kryo.writeClassAndObject(output, object);
            bytes = output.toBytes();
            readable = kryo.elements().fits(bytes.length);
            elements = kryo.elements().declared();
        } catch (final IllegalArgumentException | KryoException ex) {
            throw new LoomSerializationException("cannot serialize " + role + " of " + object.getClass().getName() +
                ": " + firstLine(ex) + " (register it in ClientContext.kryoRegistrations)", ex);
        } finally {
            outputs.free(output);
        }
        kryos.free(kryo);
        if (!readable) {
            throw new LoomSerializationException("cannot serialize " + role + " of " + object.getClass().getName() +
                ": its containers hold " + elements + " elements in " + bytes.length + " bytes, and readers " +
                "refuse more than one per byte plus " + ElementBudget.ALLOWANCE + " (long runs of nulls or " +
                "field-less objects)", null);
        }
        return bytes;
    }

    /**
     * Deserializes bytes written by {@link #serialize}, or by anyone: the bytes are not trusted.
     *
     * @param bytes the serialized form.
     * @param type the type the result must have.
     * @param <T> the result type.
     * @return the object.
     * @throws LoomSerializationException when the bytes name an unregistered class, are corrupt or truncated,
     *     declare a length beyond the bytes present, nest too deeply, hold another type, or make a serializer throw
     *     anything at all (the throwable is the cause).
     */
    <T> T deserialize(final byte[] bytes, final Class<T> type) {
        final BoundedKryo kryo = kryos.obtain();
        final Object object;
        try {
            kryo.elements().startReading(bytes.length);
            object = kryo.readClassAndObject(new BoundedInput(bytes));
        } catch (final Throwable failure) {
            throw new LoomSerializationException("cannot deserialize " + type.getName() + ": " + describe(failure),
                failure);
        }
        kryos.free(kryo);
        if (object != null && !type.isInstance(object)) {
            throw new LoomSerializationException("cannot deserialize " + type.getName() + ": the bytes hold a " +
                object.getClass().getName(), null);
        }
        return type.cast(object);
    }

    /** Kryo's own refusals read as they are; anything else is named by its class, as its message may be empty. */
    private static String describe(final Throwable failure) {
        if (failure instanceof KryoException || failure instanceof IllegalArgumentException) {
            return firstLine(failure);
        }
        return failure.getMessage() == null ? failure.getClass().getName() :
            failure.getClass().getName() + ": " + firstLine(failure);
    }

    private static String firstLine(final Throwable ex) {
        final String message = String.valueOf(ex.getMessage());
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
