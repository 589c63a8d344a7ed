package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PartitionTableCodecTest {
    @Test
    void shouldDecodeWhatWasEncodedAndMapPartitionsToTheirGroupsLeaders() {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        int position = PartitionTableCodec.putHead(buffer, 0, 271, 3, 2);
        position = PartitionTableCodec.putMember(buffer, position, 7, ascii("a:1"));
        position = PartitionTableCodec.putMember(buffer, position, 9, ascii("b.example:7654"));
        position = PartitionTableCodec.putGroup(buffer, position, 7, 4);
        position = PartitionTableCodec.putGroup(buffer, position, -1, 2);
        position = PartitionTableCodec.putGroup(buffer, position, 9, 11);
        final PartitionTableCodec.Table table = PartitionTableCodec.decode(buffer, 0, position);
        assertEquals(271, table.partitionCount());
        assertEquals(3, table.groupCount());
        assertArrayEquals(new long[] {4, 2, 11}, table.terms());
        assertEquals("a:1", table.leaderAddress(3));
        assertNull(table.leaderAddress(4));
        assertEquals("b.example:7654", table.leaderAddress(5));
        // every truncation is refused, never read past
        for (int length = 0; length < position; length++) {
            assertNull(PartitionTableCodec.decode(buffer, 0, length), "length " + length);
        }
    }

    private static UnsafeBuffer ascii(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
