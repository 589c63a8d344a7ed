package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeySlotTest {
    private static int slot(final String key) {
        final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return KeySlot.slot(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** The check value of CRC16-XMODEM, and slots Redis's CLUSTER KEYSLOT gives (Redis Cluster specification). */
    @ParameterizedTest
    @CsvSource({"123456789, 12739", "foo, 12182", "bar, 5061", "hello, 866", "somekey, 11058", "user1000, 3443"})
    void shouldComputeRedisClusterSlots(final String key, final int expected) {
        if (key.equals("123456789")) {
            final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
            assertEquals(0x31C3, KeySlot.crc16(new UnsafeBuffer(bytes), 0, bytes.length));
        }
        assertEquals(expected, slot(key));
    }

    @Test
    void shouldHashOnlyTheHashTagWhenThereIsOne() {
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertEquals(slot("user1000"), slot("{user1000}.followers"));
        assertEquals(slot("foo{}{bar}"), slot("foo{}{bar}"));
        // an empty tag is no tag: the whole key is hashed
        assertEquals(KeySlot.crc16(new UnsafeBuffer("foo{}{bar}".getBytes(StandardCharsets.US_ASCII)), 0, 10) &
            (KeySlot.SLOTS - 1), slot("foo{}{bar}"));
        assertEquals(slot("{bar"), slot("{bar"));
        assertEquals(slot("zap"), slot("foo{{zap}}") == slot("{zap") ? slot("zap") : slot("zap"));
        assertEquals(slot("{zap"), slot("foo{{zap}}"));
        assertEquals(slot("bar"), slot("foo{bar}{zap}"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 271, 1000, 16_383, 16_384})
    void shouldCutTheSlotsIntoContiguousNonEmptyRangesOnePerPartition(final int partitions) {
        int expectedFirst = 0;
        for (int partition = 0; partition < partitions; partition++) {
            final int first = KeySlot.firstSlot(partition, partitions);
            final int next = KeySlot.firstSlot(partition + 1, partitions);
            assertEquals(expectedFirst, first);
            assertEquals(true, next > first, "partition " + partition + " holds no slot");
            assertEquals(partition, KeySlot.partitionOfSlot(first, partitions));
            assertEquals(partition, KeySlot.partitionOfSlot(next - 1, partitions));
            expectedFirst = next;
        }
        assertEquals(KeySlot.SLOTS, expectedFirst);
    }
}
