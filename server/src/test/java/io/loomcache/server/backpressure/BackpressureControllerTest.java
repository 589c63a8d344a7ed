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

    @Test
    void shouldNeverLetAConcurrentUpdateOverwriteShuttingDown() throws Exception {
        for (int trial = 0; trial < 2_000; trial++) {
            final BackpressureController racing = new BackpressureController(0.5, 0.8);
            final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            final Thread conductor = new Thread(() -> {
                started.countDown();
                boolean busy = false;
                while (!stop.get()) {
                    busy = !busy;
                    racing.update(busy ? 0.9 : 0.1, 0, 0);
                }
            });
            conductor.start();
            started.await();
            Thread.onSpinWait();
            racing.shutdown();
            stop.set(true);
            conductor.join();
            assertEquals(BackpressureController.SHUTTING_DOWN, racing.level(), "trial " + trial);
        }
    }
}
