package io.loomcache.client;

import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;

class LoomMapTest {
    record OrderId(String venue, long number) {
    }

    record Order(String instrument, long quantity, double price) {
    }

    record Quote(String instrument, double bid) {
    }

    @RegisterExtension
    final TestServer server = new TestServer();

    private LoomClient client;
    private LoomMap<OrderId, Order> orders;

    @BeforeEach
    void start() throws IOException {
        client = LoomClient.connect(server.context().kryoRegistrations(kryo -> {
            kryo.register(OrderId.class);
            kryo.register(Order.class);
        }));
        orders = client.map(OrderId.class, Order.class);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
    }

    @Test
    void shouldRoundTripRegisteredRecords() {
        final OrderId id = new OrderId("XLON", 42);
        final Order order = new Order("VOD.L", 1_000, 72.5);

        orders.put(id, order).join();

        assertEquals(order, orders.get(id).join());
        assertEquals(order, orders.get(new OrderId("XLON", 42)).join());
        assertNull(orders.get(new OrderId("XLON", 43)).join());
        assertTrue(orders.containsKey(id).join());
    }

    @Test
    void shouldCompareAndSetOnSerializedValues() {
        final OrderId id = new OrderId("XPAR", 1);
        final Order first = new Order("BNP.PA", 10, 60.0);
        final Order second = new Order("BNP.PA", 20, 60.0);
        assertTrue(orders.putIfAbsent(id, first, 0).join());
        assertFalse(orders.putIfAbsent(id, second, 0).join());

        assertFalse(orders.replace(id, second, first).join());
        assertTrue(orders.replace(id, first, second).join());
        assertEquals(second, orders.get(id).join());
        assertTrue(orders.remove(id).join());
    }

    @Test
    void shouldRefuseAnUnregisteredValueClassBeforeSendingAnything() {
        final LoomMap<OrderId, Quote> quotes = client.map(OrderId.class, Quote.class);

        final LoomSerializationException refused = assertThrows(LoomSerializationException.class,
            () -> quotes.put(new OrderId("XLON", 1), new Quote("VOD.L", 72.4)));

        assertTrue(refused.getMessage().startsWith("cannot serialize value of " + Quote.class.getName() +
            ": Class is not registered"), refused.getMessage());
        assertEquals(0, server.mapRequests());
    }

    @Test
    void shouldRefuseBytesOfAnUnregisteredClassWithoutConstructingIt() {
        final Kryo permissive = new Kryo();
        permissive.setRegistrationRequired(false);
        final Output output = new Output(256);
        permissive.writeClassAndObject(output, new Tripwire());
        final int constructed = Tripwire.CONSTRUCTED.get();
        final OrderId id = new OrderId("XLON", 7);
        client.blocking().put(new KryoCodec(kryo -> kryo.register(OrderId.class), 1024).serialize(id, "key"),
            output.toBytes());

        final LoomSerializationException refused = assertInstanceOf(LoomSerializationException.class,
            assertThrows(CompletionException.class, () -> orders.get(id).join()).getCause());

        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
        assertEquals(constructed, Tripwire.CONSTRUCTED.get());
    }

    @Test
    void shouldRefuseAClassNamedInTheBytesWithoutEvenInitialisingIt() {
        final Output output = new Output(256);
        output.writeVarInt(1, true);
        output.writeVarInt(0, true);
        output.writeString("io.loomcache.client.NeverLoaded");
        final KryoCodec codec = new KryoCodec(kryo -> kryo.register(Order.class), 1024);
        final boolean initialisedBefore = Tripwire.Probe.INITIALISED.get();
        final int constructedBefore = Tripwire.Probe.CONSTRUCTED.get();

        assertThrows(LoomSerializationException.class, () -> codec.deserialize(output.toBytes(), Object.class));

        assertEquals(initialisedBefore, Tripwire.Probe.INITIALISED.get());
        assertEquals(constructedBefore, Tripwire.Probe.CONSTRUCTED.get());
    }

    @Test
    void shouldRefuseAnUnregisteredClassId() {
        final Output output = new Output(16);
        output.writeVarInt(999, true);

        final LoomSerializationException refused = assertThrows(LoomSerializationException.class,
            () -> new KryoCodec(kryo -> { }, 1024).deserialize(output.toBytes(), Object.class));

        assertTrue(refused.getMessage().contains("unregistered class ID"), refused.getMessage());
    }

    @Test
    void shouldRefuseAValueOfAnotherRegisteredType() {
        final LoomMap<OrderId, OrderId> wrongView = client.map(OrderId.class, OrderId.class);
        orders.put(new OrderId("XLON", 9), new Order("VOD.L", 1, 1.0)).join();

        final LoomSerializationException refused = assertInstanceOf(LoomSerializationException.class,
            assertThrows(CompletionException.class, () -> wrongView.get(new OrderId("XLON", 9)).join()).getCause());

        assertTrue(refused.getMessage().endsWith("the bytes hold a " + Order.class.getName()), refused.getMessage());
    }

    @Test
    void shouldFailGetWithSerializationExceptionWhenSixBytesDeclareAStringOfTwoBillionChars() {
        final Output hostile = new Output(8);
        hostile.writeVarInt(new Kryo().getRegistration(String.class).getId() + 2, true);
        hostile.writeVarIntFlag(true, Integer.MAX_VALUE, true);
        assertEquals(6, hostile.position());
        final OrderId id = new OrderId("XLON", 11);
        client.blocking().put(codec().serialize(id, "key"), hostile.toBytes());

        final Throwable failure = assertThrows(CompletionException.class, () -> orders.get(id).join()).getCause();

        assertTrue(Decoding.isRefusal(failure), () -> "expected a LoomSerializationException without an " +
            "OutOfMemoryError behind it, got " + failure);
    }

    @Test
    void shouldFailGetWithoutAllocatingTheLengthAValueDeclares() {
        final Output hostile = new Output(8);
        hostile.writeVarInt(new Kryo().getRegistration(String.class).getId() + 2, true);
        hostile.writeVarIntFlag(true, 300_000_001, true);
        final OrderId id = new OrderId("XLON", 12);
        client.blocking().put(codec().serialize(id, "key"), hostile.toBytes());
        final long before = Decoding.totalAllocatedBytes();

        final Throwable failure = assertThrows(CompletionException.class, () -> orders.get(id).join()).getCause();

        final long allocatedBytes = Decoding.totalAllocatedBytes() - before;
        assertInstanceOf(LoomSerializationException.class, failure);
        assertTrue(allocatedBytes < 64L << 20, () -> "the JVM allocated " + allocatedBytes + " bytes while a get " +
            "decoded " + hostile.position() + " bytes declaring 300M chars");
    }

    private static KryoCodec codec() {
        return new KryoCodec(kryo -> kryo.register(OrderId.class), 1024);
    }

    @Test
    void shouldShareTheBytesOfTheRawApi() {
        orders.put(new OrderId("XLON", 5), new Order("VOD.L", 3, 2.0)).join();

        assertEquals(1L, client.size().join());
        assertTrue(client.containsKey(new KryoCodec(kryo -> kryo.register(OrderId.class), 1024)
            .serialize(new OrderId("XLON", 5), "key")).join());
        assertFalse(client.containsKey(utf8("other")).join());
    }
}
