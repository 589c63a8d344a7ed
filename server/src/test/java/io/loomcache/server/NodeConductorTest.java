package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.connection.DetachedConnection;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.executor.FanOutTable;
import io.loomcache.server.executor.ResponseDelivery;
import io.loomcache.server.metrics.ServerMetrics;

class NodeConductorTest {
    private static final long PENDING_BYTES = 100;

    /** A connection with no transport that counts the conductor's visits (each reads its unsent bytes once). */
    private static final class VisitedConnection extends DetachedConnection {
        private int visits;

        VisitedConnection() {
            super(4096, 0);
        }

        @Override
        protected long transportPendingBytes() {
            visits++;
            return PENDING_BYTES;
        }
    }

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void whenTenThousandConnectionsAreOpen_thenACycleVisitsOneSliceAndASweepVisitsEveryConnection() throws Exception {
        final int count = 10_000;
        final int slice = NodeConductor.sliceSlots(count);
        assertEquals(count / NodeConductor.SWEEP_CYCLES, slice);
        final Fixture fixture = new Fixture(count);
        for (int cycle = 0; cycle < NodeConductor.SWEEP_CYCLES; cycle++) {
            final int before = fixture.visits();
            fixture.conductor.doWork();
            assertEquals(slice, fixture.visits() - before, "visits in cycle " + cycle);
            if (cycle < NodeConductor.SWEEP_CYCLES - 1) {
                assertEquals(0, fixture.backpressure.load(), "no load before the first sweep ends");
            }
        }
        for (final VisitedConnection connection : fixture.connections) {
            assertEquals(1, connection.visits, "each connection once per sweep");
        }
        assertEquals((double)count * PENDING_BYTES / fixture.context.outboundBudgetBytes(),
            fixture.backpressure.load(), "the unsent bytes of the whole sweep");
        fixture.conductor.doWork();
        assertEquals(count + slice, fixture.visits(), "the next sweep starts over");
    }

    @Test
    void whenNoMoreConnectionsThanTheMinimumSliceAreOpen_thenEveryCycleVisitsThemAll() throws Exception {
        final Fixture fixture = new Fixture(NodeConductor.MIN_SLICE_SLOTS);
        for (int cycle = 1; cycle <= 3; cycle++) {
            fixture.conductor.doWork();
            assertEquals(cycle * NodeConductor.MIN_SLICE_SLOTS, fixture.visits());
        }
    }

    private final class Fixture {
        final ServerContext context = nodes.context("nio").executors(1).outboundBudgetBytes(1L << 30)
            .conclude();
        final ConnectionRegistry registry;
        final VisitedConnection[] connections;
        final BackpressureController backpressure = new BackpressureController(0.5, 0.8);
        final NodeConductor conductor;

        Fixture(final int count) throws Exception {
            registry = new ConnectionRegistry(count);
            connections = new VisitedConnection[count];
            for (int i = 0; i < count; i++) {
                connections[i] = new VisitedConnection();
                assertTrue(registry.register(connections[i]));
            }
            final ServerMetrics metrics = new ServerMetrics();
            final FanOutTable fanOut = new FanOutTable(16);
            final ExecutorGroup executors = nodes.add(ExecutorGroup.create(context, registry, fanOut, metrics));
            conductor = new NodeConductor(context, registry, executors, backpressure, metrics,
                new ResponseDelivery(registry, fanOut, metrics, context.nanoClock()));
        }

        int visits() {
            int visits = 0;
            for (final VisitedConnection connection : connections) {
                visits += connection.visits;
            }
            return visits;
        }
    }
}
