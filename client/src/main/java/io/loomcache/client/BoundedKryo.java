package io.loomcache.client;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.MapReferenceResolver;

/**
 * A Kryo that reads bytes from anyone without letting them choose what it allocates: registration is required, a
 * class named in the bytes is refused before it is loaded, references are off, and every default serializer that
 * sizes a container from a declared length is replaced by one that first counts the length against the form's
 * {@link ElementBudget} (see {@link BoundedSerializers}). With a {@link BoundedInput} for strings and primitive
 * arrays, reading a form of {@code n} bytes allocates O(n) whatever the bytes say. Serializers a registration names
 * explicitly are used as given. Not thread-safe, like any Kryo.
 */
final class BoundedKryo extends Kryo {
    private final ElementBudget elements = new ElementBudget();

    /** Creates a Kryo with no registrations beyond Kryo's own (primitives and String). */
    BoundedKryo() {
        super(new RegisteredOnlyClassResolver(), new MapReferenceResolver());
        setRegistrationRequired(true);
        setReferences(false);
    }

    /**
     * The element count of the form being read or written.
     *
     * @return this Kryo's budget, restarted by the codec for each form.
     */
    ElementBudget elements() {
        return elements;
    }

    /**
     * Kryo's default serializer for a type, or a bounded replacement when that serializer sizes a container from a
     * declared length.
     *
     * @param type the type being registered.
     * @return the serializer {@link #register(Class)} will use.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public Serializer getDefaultSerializer(final Class type) {
        return BoundedSerializers.bounded(super.getDefaultSerializer(type), elements);
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
