package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;

class InFlightTableTest {
    @Test
    void shouldRefuseRegistrationBeyondCapacity() {
        final InFlightTable table = new InFlightTable(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(table.register(request(0)) > 0);
        }

        assertEquals(InFlightTable.NO_SLOT, table.register(request(0)));
        assertFalse(table.hasFreeSlot());
        assertEquals(3, table.size());
    }

    @Test
    void shouldNotMatchAStaleCorrelationIdAfterItsSlotIsReused() {
        final InFlightTable table = new InFlightTable(1);
        final PendingRequest<Void> first = request(0);
        final long staleId = table.register(first);
        assertSame(first, table.remove(staleId));

        final PendingRequest<Void> second = request(0);
        final long freshId = table.register(second);

        assertNotEquals(staleId, freshId);
        assertNull(table.remove(staleId));
        assertSame(second, table.remove(freshId));
        assertNull(table.remove(freshId));
    }

    @Test
    void shouldIgnoreForeignCorrelationIds() {
        final InFlightTable table = new InFlightTable(4);
        table.register(request(0));

        assertNull(table.remove(0));
        assertNull(table.remove(-5));
        assertNull(table.remove(Long.MAX_VALUE));
        assertEquals(1, table.size());
    }

    @Test
    void shouldRemoveOnlyRequestsPastTheirDeadline() {
        final InFlightTable table = new InFlightTable(8);
        final PendingRequest<Void> early = request(100);
        final PendingRequest<Void> late = request(300);
        table.register(early);
        final long lateId = table.register(late);
        final List<PendingRequest<?>> expired = new ArrayList<>();

        assertEquals(1, table.removeExpired(200, expired));

        assertEquals(List.of(early), expired);
        assertSame(late, table.remove(lateId));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 4_711, 65_537, 20_250_101, -9})
    void shouldBehaveLikeAMapOfLiveIds(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int run = 0; run < 25; run++) {
            final int capacity = random.nextInt(1, 17);
            final InFlightTable table = new InFlightTable(capacity);
            final Map<Long, PendingRequest<?>> model = new HashMap<>();
            final List<Long> removedIds = new ArrayList<>();
            final int operations = random.nextInt(201);
            for (int step = 0; step < operations; step++) {
                final String where = "seed " + seed + " run " + run + " step " + step;
                final int operation = random.nextInt(4);
                if (operation < 2) {
                    final PendingRequest<Void> request = request(0);
                    final long id = table.register(request);
                    assertEquals(model.size() == capacity, id == InFlightTable.NO_SLOT, where);
                    if (id != InFlightTable.NO_SLOT) {
                        assertNull(model.put(id, request), where);
                    }
                } else if (operation == 2 && !model.isEmpty()) {
                    final long id = model.keySet().iterator().next();
                    assertSame(model.remove(id), table.remove(id), where);
                    removedIds.add(id);
                } else if (!removedIds.isEmpty()) {
                    assertNull(table.remove(removedIds.getFirst()), where);
                }
                assertEquals(model.size(), table.size(), where);
            }
        }
    }

    private static PendingRequest<Void> request(final long deadlineNs) {
        return new PendingRequest<>(Opcodes.PING, ResponseMappers.OK, deadlineNs);
    }
}
