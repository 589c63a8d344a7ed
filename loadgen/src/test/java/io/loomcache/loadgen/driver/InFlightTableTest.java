package io.loomcache.loadgen.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InFlightTableTest {
    @Test
    void shouldMatchResponsesInAnyOrderByCorrelationId() {
        final InFlightTable table = new InFlightTable(3);
        final long a = table.acquire(100, AgentStats.KIND_GET);
        final long b = table.acquire(200, AgentStats.KIND_SET);
        final long c = table.acquire(300, AgentStats.KIND_GET);
        assertTrue(a > 0 && b > 0 && c > 0);
        assertEquals(3, new HashSet<>(List.of(a, b, c)).size());
        assertEquals(InFlightTable.FULL, table.acquire(400, AgentStats.KIND_GET));
        assertEquals(200, table.complete(b));
        assertEquals(AgentStats.KIND_SET, table.lastKind());
        assertEquals(300, table.complete(c));
        assertEquals(100, table.complete(a));
        assertEquals(AgentStats.KIND_GET, table.lastKind());
        assertEquals(0, table.size());
    }

    @Test
    void shouldKeepTheRouteOfARoutedRequestAndForgetTheRequestsOfALostLink() {
        final InFlightTable table = new InFlightTable(4, true);
        final long a = table.acquire(100, AgentStats.KIND_GET);
        final long b = table.acquire(200, AgentStats.KIND_SET);
        final long c = table.acquire(300, AgentStats.KIND_GET);
        table.route(a, 7, 33, 0);
        table.route(b, 8, 100, 1);
        table.route(c, 9, 100, 1);
        final int slotA = table.slotOf(a);

        assertEquals(7, table.key(slotA));
        assertEquals(33, table.valueLength(slotA), "a resend writes a value of the same length");
        assertEquals(AgentStats.KIND_GET, table.kind(slotA));
        assertEquals(0, table.link(slotA));
        assertEquals(1, table.redirected(slotA));
        assertEquals(2, table.redirected(slotA));
        assertEquals(1, table.leaderUnknown(slotA));
        table.link(slotA, 1);

        assertEquals(3, table.clearLink(1), "the request moved to link 1 is lost with it");
        assertEquals(0, table.size());
        assertEquals(InFlightTable.NO_SLOT, table.slotOf(a));
        final long d = table.acquire(400, AgentStats.KIND_SET);
        table.route(d, 10, 100, 0);
        assertEquals(0, table.redirected(table.slotOf(d)) - 1, "a new request starts with no redirect");
        assertEquals(400, table.completeSlot(table.slotOf(d)));
        assertEquals(AgentStats.KIND_SET, table.lastKind());
    }

    @Test
    void shouldRejectUnknownStaleAndDuplicateIds() {
        final InFlightTable table = new InFlightTable(4);
        final long id = table.acquire(5, AgentStats.KIND_GET);
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.complete(0));
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.complete(-7));
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.complete(id + 1));
        assertEquals(5, table.complete(id));
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.complete(id));
        final long reused = table.acquire(6, AgentStats.KIND_GET);
        assertNotEquals(id, reused);
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.complete(id));
        assertEquals(6, table.complete(reused));
    }

    @Test
    void shouldCompleteOldestFirstForOrderedProtocols() {
        final InFlightTable table = new InFlightTable(2);
        table.acquire(10, AgentStats.KIND_SET);
        table.acquire(20, AgentStats.KIND_GET);
        assertEquals(10, table.completeOldest());
        table.acquire(30, AgentStats.KIND_GET);
        assertEquals(20, table.completeOldest());
        assertEquals(30, table.completeOldest());
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.completeOldest());
    }

    @Test
    void shouldAbandonEverythingOnClear() {
        final InFlightTable table = new InFlightTable(8);
        final long id = table.acquire(1, AgentStats.KIND_GET);
        table.acquire(2, AgentStats.KIND_GET);
        assertEquals(2, table.clear());
        assertEquals(0, table.size());
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.complete(id));
        assertEquals(InFlightTable.NOT_IN_FLIGHT, table.completeOldest());
        assertThrows(IllegalArgumentException.class, () -> new InFlightTable(0));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 4_711, 65_537, 20_250_101, -9})
    void everyAcquiredRequestCompletesExactlyOnceInAnyOrder(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int run = 0; run < 25; run++) {
            final int capacity = run == 0 ? 1 : run == 1 ? 300 : random.nextInt(1, 301);
            final InFlightTable table = new InFlightTable(capacity);
            final List<long[]> live = new ArrayList<>();
            final Set<Long> completed = new HashSet<>();
            for (int round = 0; round < 2_000; round++) {
                final String where = "seed " + seed + " run " + run + " capacity " + capacity + " round " + round;
                if (!table.isFull() && (live.isEmpty() || random.nextBoolean())) {
                    final long start = random.nextLong(1_000_000);
                    live.add(new long[] {table.acquire(start, AgentStats.KIND_GET), start});
                } else {
                    Collections.swap(live, 0, random.nextInt(live.size()));
                    final long[] request = live.remove(0);
                    assertEquals(request[1], table.complete(request[0]), where);
                    assertTrue(completed.add(request[0]), () -> where + ": correlation id reused");
                }
                assertEquals(live.size(), table.size(), where);
            }
        }
    }
}
