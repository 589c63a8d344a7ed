package io.loomcache.loadgen.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.loomcache.testkit.gen.Property;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
    @Test
    void shouldSpreadRequestsEvenlyRoundRobinOverConnections() {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 1_000_000, 4);
        assertEquals(1_000.0, schedule.intervalNs());
        assertEquals(4_000.0, schedule.connectionIntervalNs());
        assertEquals(1_000, schedule.intendedSendNs(0, 0));
        assertEquals(2_000, schedule.intendedSendNs(1, 0));
        assertEquals(4_000, schedule.intendedSendNs(3, 0));
        assertEquals(5_000, schedule.intendedSendNs(0, 1));
        assertEquals(1_000 + 4_000L * 1_000_000, schedule.intendedSendNs(0, 1_000_000));
    }

    @Test
    void shouldKeepFractionalIntervalsWithoutDrift() {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 3, 1);
        assertEquals(333_333_333, schedule.intendedSendNs(0, 1));
        assertEquals(666_666_666, schedule.intendedSendNs(0, 2));
        assertEquals(3_000_000_000L, schedule.intendedSendNs(0, 9));
    }

    @Test
    void shouldRejectANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 10, 0));
    }

    @Test
    void mergedScheduleOfAllConnectionsShouldBeOneRequestPerInterval() {
        Property.forAll(1000, g -> oneRequestPerInterval(g.ints(1, 64), g.ints(1, 2_000_000)));
    }

    private static void oneRequestPerInterval(final int connections, final int rate) {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(123_456_789, rate, connections);
        final List<Long> times = new ArrayList<>();
        final int perConnection = 20;
        for (int i = 0; i < connections; i++) {
            for (int k = 0; k < perConnection; k++) {
                times.add(schedule.intendedSendNs(i, k));
            }
        }
        Collections.sort(times);
        for (int n = 0; n < times.size(); n++) {
            final double exact = 123_456_789 + n * 1e9 / rate;
            assertTrue(Math.abs(times.get(n) - exact) <= 1.0, "request " + n + " due at " + times.get(n));
        }
    }
}
