package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.loomcache.protocol.KeySlot;
import io.loomcache.server.config.ServerContext;

class PartitionRouterTest {
    @Test
    void shouldPlaceKeysByRedisClusterSlotRangesAndSpreadThemOverEveryPartition() {
        final int[] perPartition = new int[ServerContext.PARTITION_COUNT];
        for (int i = 0; i < 100_000; i++) {
            final byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer buffer = new UnsafeBuffer(key);
            final int partition = PartitionRouter.partition(buffer, 0, key.length, ServerContext.PARTITION_COUNT);
            assertEquals(KeySlot.slot(buffer, 0, key.length) * 271 / KeySlot.SLOTS, partition);
            perPartition[partition]++;
        }
        for (final int count : perPartition) {
            assertTrue(count > 250 && count < 500, "uneven partition: " + count);
        }
        assertEquals(0, PartitionRouter.executor(270, 3));
        assertEquals(1, PartitionRouter.executor(7, 2));
    }

    @Test
    void shouldFindTheSamePartitionForTheSameBytesAtAnyOffset() {
        final byte[] padded = "xxxxsame-keyyy".getBytes(StandardCharsets.UTF_8);
        final byte[] plain = "same-key".getBytes(StandardCharsets.UTF_8);
        assertEquals(PartitionRouter.partition(new UnsafeBuffer(plain), 0, plain.length, 271),
            PartitionRouter.partition(new UnsafeBuffer(padded), 4, plain.length, 271));
    }
}
