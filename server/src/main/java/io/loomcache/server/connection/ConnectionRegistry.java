package io.loomcache.server.connection;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Fixed table of open connections, so that an executor finds a response's connection by id without a map or a
 * lock. An id is {@code generation << 32 | slot} with a 31-bit generation, so ids are never negative (-1 means
 * unregistered) however many connections the node has seen: a response for a connection that closed, whose slot
 * was reused, finds a different id there and is dropped. Registration CASes a free slot; lookups are one volatile read.
 * Thread-safe.
 */
public final class ConnectionRegistry {
    private static final long SLOT_MASK = 0xFFFF_FFFFL;
    private static final int GENERATION_MASK = Integer.MAX_VALUE;

    private final AtomicReferenceArray<Connection> slots;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger highWater = new AtomicInteger();

    /**
     * Creates a registry.
     *
     * @param capacity the most connections open at once.
     */
    public ConnectionRegistry(final int capacity) {
        this(capacity, 0);
    }

    /**
     * Creates a registry whose generation counter starts at a given value (tests of the wrap).
     *
     * @param capacity the most connections open at once.
     * @param initialGeneration the generation counter's start.
     */
    ConnectionRegistry(final int capacity, final int initialGeneration) {
        slots = new AtomicReferenceArray<>(capacity);
        generation.set(initialGeneration);
    }

    /**
     * Publishes a connection in a free slot and gives it its id.
     *
     * @param connection the new connection.
     * @return true when registered, false when every slot is taken.
     */
    public boolean register(final Connection connection) {
        final int capacity = slots.length();
        for (int slot = 0; slot < capacity; slot++) {
            if (slots.get(slot) == null) {
                connection.assignId(((long)(generation.incrementAndGet() & GENERATION_MASK) << Integer.SIZE) | slot);
                if (slots.compareAndSet(slot, null, connection)) {
                    count.incrementAndGet();
                    highWater.accumulateAndGet(slot + 1, Math::max);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Removes a connection; idempotent.
     *
     * @param connection a registered connection.
     */
    public void unregister(final Connection connection) {
        final long id = connection.id();
        if (id >= 0 && slots.compareAndSet((int)(id & SLOT_MASK), connection, null)) {
            count.decrementAndGet();
        }
    }

    /**
     * Finds a connection by id; allocation-free.
     *
     * @param id a connection id.
     * @return the connection, or null when it closed.
     */
    public Connection get(final long id) {
        final int slot = (int)(id & SLOT_MASK);
        if (slot >= slots.length()) {
            return null;
        }
        final Connection connection = slots.get(slot);
        return connection != null && connection.id() == id ? connection : null;
    }

    /**
     * Open connections.
     *
     * @return the count.
     */
    public int count() {
        return count.get();
    }

    /**
     * One past the highest slot ever used: iterate {@link #at(int)} below it.
     *
     * @return the bound.
     */
    public int slotBound() {
        return highWater.get();
    }

    /**
     * The connection in a slot.
     *
     * @param slot 0 to {@link #slotBound()} - 1.
     * @return the connection, or null.
     */
    public Connection at(final int slot) {
        return slots.get(slot);
    }
}
