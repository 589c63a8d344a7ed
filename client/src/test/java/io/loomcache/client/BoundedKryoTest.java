package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;

class BoundedKryoTest {
    @Test
    void shouldGiveEveryRegisteredCollectionMapAndObjectArrayABoundedDefaultSerializer() {
        final BoundedKryo kryo = new BoundedKryo();
        CodecFixtures.REGISTRATIONS.accept(kryo);
        int bounded = 0;

        for (int id = 0; id < kryo.getNextRegistrationId(); id++) {
            final Registration registration = kryo.getRegistration(id);
            final Class<?> type = registration.getType();
            if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type) || type.isArray() &&
                (!type.getComponentType().isPrimitive() || type == boolean[].class)) {
                assertEquals(BoundedSerializers.class, registration.getSerializer().getClass().getEnclosingClass(),
                    type + " is read with " + registration.getSerializer().getClass());
                bounded++;
            }
        }

        assertEquals(24, bounded, "containers and object arrays the fixtures register");
    }

    @Test
    void shouldUseASerializerNamedByTheRegistrationAsGiven() {
        final BoundedKryo kryo = new BoundedKryo();
        final Serializer<?> explicit = new CollectionSerializer<ArrayList<Object>>();

        kryo.register(ArrayList.class, explicit);

        assertSame(explicit, kryo.getRegistration(ArrayList.class).getSerializer());
    }
}
