package io.loomcache.server.backpressure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackpressureControllerTest {
    private final BackpressureController controller = new BackpressureController(0.5, 0.8);

    @Test
    void shouldThrottleBetweenTheMarksAndRefuseAboveTheHighMark() {
        assertEquals(BackpressureController.NORMAL, controller.update(0.1, 0.2, 0.3));
        assertEquals(BackpressureController.THROTTLED, controller.update(0.6, 0, 0));
        assertEquals(BackpressureController.BUSY, controller.update(0, 0.9, 0));
    }

    @Test
    void shouldStayBusyUntilTheLoadFallsBelowTheLowMark() {
        controller.update(0.9, 0, 0);
        assertEquals(BackpressureController.BUSY, controller.update(0.6, 0, 0));
        assertEquals(BackpressureController.NORMAL, controller.update(0.4, 0, 0));
    }

    @Test
    void shouldGoBusyOnQueueingDelayAloneWhenTheQueuesHaveRoom() {
        assertEquals(BackpressureController.BUSY, controller.update(0.01, 0.01, 1.5));
        assertEquals(1.5, controller.load());
        assertEquals(BackpressureController.NORMAL, controller.update(0.01, 0.01, 0.2));
    }

    @Test
    void shouldNeverLeaveShuttingDown() {
        controller.shutdown();
        assertEquals(BackpressureController.SHUTTING_DOWN, controller.update(0.9, 0.9, 9));
        assertEquals(BackpressureController.SHUTTING_DOWN, controller.update(0, 0, 0));
    }
}
