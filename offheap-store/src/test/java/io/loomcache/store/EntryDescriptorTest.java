package io.loomcache.store;

import org.junit.jupiter.api.Test;

import static io.loomcache.store.EntryDescriptor.ACCESS_LENGTH;
import static io.loomcache.store.EntryDescriptor.LFU_COUNTER_BITS;
import static io.loomcache.store.EntryDescriptor.LFU_COUNTER_MASK;
import static io.loomcache.store.EntryDescriptor.LFU_PERIOD_BITS;
import static io.loomcache.store.EntryDescriptor.LFU_PERIOD_MASK;
import static io.loomcache.store.EntryDescriptor.LFU_PERIOD_SHIFT;
import static io.loomcache.store.EntryDescriptor.lfuAccess;
import static io.loomcache.store.EntryDescriptor.lfuCounter;
import static io.loomcache.store.EntryDescriptor.lfuPeriod;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EntryDescriptorTest {
    @Test
    void shouldFillTheAccessWordWithLfuPeriodAboveCounter() {
        assertEquals(ACCESS_LENGTH * Byte.SIZE, LFU_COUNTER_BITS + LFU_PERIOD_BITS);
        assertEquals(LFU_COUNTER_BITS, LFU_PERIOD_SHIFT);
        assertEquals(0xFF, LFU_COUNTER_MASK);
        assertEquals(0xFF_FFFF, LFU_PERIOD_MASK);
        assertEquals(0xABCD_EF12, lfuAccess(0xABCDEF, 0x12));
    }

    @Test
    void shouldReadBackLfuFieldsAndKeepOnlyTheLowPeriodBits() {
        final int access = lfuAccess((1L << 40) + 0x12_3456, 200);

        assertEquals(0x12_3456, lfuPeriod(access));
        assertEquals(200, lfuCounter(access));
        assertEquals(LFU_PERIOD_MASK, lfuPeriod(lfuAccess(-1, 0)));
        assertEquals(0, lfuCounter(lfuAccess(-1, 0)));
    }
}
