package io.loomcache.client;

import java.util.function.Consumer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import com.esotericsoftware.kryo.util.Pool;

/**
 * Serializes the keys and values of typed maps with pooled Kryo instances that require registration. Objects are
 * written with their registered class id ({@code writeClassAndObject}), so a value may be of any registered subtype.
 * Bytes that name a class instead of giving a registered id are refused before the class is even loaded, and an
 * unregistered id is refused before anything is constructed. Thread-safe: every call borrows a Kryo and a buffer
 * from bounded pools.
 */
final class KryoCodec {
    private static final int POOL_CAPACITY = 64;
    private static final int INITIAL_OUTPUT_LENGTH = 256;

    private final Pool<Kryo> kryos;
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
            protected Kryo create() {
                final Kryo kryo = new Kryo(new RegisteredOnlyClassResolver(), new MapReferenceResolver());
                kryo.setRegistrationRequired(true);
                kryo.setReferences(false);
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
     * @throws LoomSerializationException when the class (or a class it refers to) is not registered or the form is
     *     longer than the limit.
     */
    byte[] serialize(final Object object, final String role) {
        if (object == null) {
            throw new NullPointerException(role + " must not be null");
        }
        final Kryo kryo = kryos.obtain();
        final Output output = outputs.obtain();
        try {
            output.reset();
            kryo.writeClassAndObject(output, object);
            return output.toBytes();
        } catch (final IllegalArgumentException | KryoException ex) {
            throw new LoomSerializationException("cannot serialize " + role + " of " + object.getClass().getName() +
                ": " + firstLine(ex) + " (register it in ClientContext.kryoRegistrations)", ex);
        } finally {
            outputs.free(output);
            kryos.free(kryo);
        }
    }

    /**
     * Deserializes bytes written by {@link #serialize}.
     *
     * @param bytes the serialized form.
     * @param type the type the result must have.
     * @param <T> the result type.
     * @return the object.
     * @throws LoomSerializationException when the bytes name an unregistered class, are corrupt, or hold another type.
     */
    <T> T deserialize(final byte[] bytes, final Class<T> type) {
        final Kryo kryo = kryos.obtain();
        final Object object;
        try {
            object = kryo.readClassAndObject(new Input(bytes));
        } catch (final IllegalArgumentException | KryoException ex) {
            throw new LoomSerializationException("cannot deserialize " + type.getName() + ": " + firstLine(ex), ex);
        } finally {
            kryos.free(kryo);
        }
        if (object != null && !type.isInstance(object)) {
            throw new LoomSerializationException("cannot deserialize " + type.getName() + ": the bytes hold a " +
                object.getClass().getName(), null);
        }
        return type.cast(object);
    }

    private static String firstLine(final Exception ex) {
        final String message = String.valueOf(ex.getMessage());
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Refuses class names in the input: with registration required only registered ids are legitimate, and
     * resolving a name would load (though not initialise) an arbitrary class.
     */
    private static final class RegisteredOnlyClassResolver extends DefaultClassResolver {
        @Override
        protected Registration readName(final Input input) {
            throw new KryoException("the bytes name a class instead of a registered class id: refused");
        }
    }
}
