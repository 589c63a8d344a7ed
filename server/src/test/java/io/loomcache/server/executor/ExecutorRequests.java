package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.server.connection.Connection;

/**
 * Writes request records into an executor's ring the way a connection reader does, for tests that drive a
 * {@link PartitionAgent} by hand (call {@link PartitionAgent#doWork()} to run them).
 */
final class ExecutorRequests {
    private ExecutorRequests() {
    }

    /**
     * Queues a keyed request; the fields the opcode does not carry are ignored.
     *
     * @param ring the executor's ring.
     * @param connection the requesting connection, whose in-flight count goes up.
     * @param opcode a keyed map opcode.
     * @param correlationId the request id.
     * @param argument the int64 field: the TTL, MAP_INCREMENT's delta or MAP_SET_RANGE's offset.
     * @param key the key bytes.
     * @param expected the expected value of MAP_REPLACE, or null.
     * @param value the value, or null.
     */
    static void keyed(
        final ManyToOneRingBuffer ring,
        final Connection connection,
        final int opcode,
        final long correlationId,
        final long argument,
        final byte[] key,
        final byte[] expected,
        final byte[] value) {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final MapRequestEncoder encoder = new MapRequestEncoder().wrap(frame, 0).request(opcode, correlationId, 0);
        final int length = encoder.argumentIfCarried(argument)
            .carriedFields(buffer(key), 0, length(key), buffer(expected), 0, length(expected), buffer(value), 0,
                length(value));
        write(ring, connection, frame, length, RequestRecordDescriptor.NO_FAN_OUT_SLOT);
    }

    private static UnsafeBuffer buffer(final byte[] bytes) {
        return bytes == null ? null : new UnsafeBuffer(bytes);
    }

    private static int length(final byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /**
     * Queues a MAP_SIZE or MAP_CLEAR for a node of one executor.
     *
     * @param ring the executor's ring.
     * @param connection the requesting connection.
     * @param fanOut the node's fan-out table, where a slot is claimed.
     * @param opcode MAP_SIZE or MAP_CLEAR.
     * @param correlationId the request id.
     */
    static void fanOut(
        final ManyToOneRingBuffer ring,
        final Connection connection,
        final FanOutTable fanOut,
        final int opcode,
        final long correlationId) {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(64);
        final MapRequestEncoder encoder = new MapRequestEncoder().wrap(frame, 0);
        encoder.request(opcode, correlationId, 0);
        final int slot = fanOut.claim(connection.id(), correlationId, opcode, 0, System.nanoTime(), 1);
        assertNotEquals(FanOutTable.NO_SLOT, slot);
        write(ring, connection, frame, encoder.frameLength(), slot);
    }

    private static void write(
        final ManyToOneRingBuffer ring,
        final Connection connection,
        final ExpandableArrayBuffer frame,
        final int length,
        final int fanOutSlot) {
        final UnsafeBuffer record = new UnsafeBuffer(new byte[RequestRecordDescriptor.FRAME_OFFSET + length]);
        record.putLong(RequestRecordDescriptor.CONNECTION_ID_OFFSET, connection.id());
        record.putLong(RequestRecordDescriptor.RECEIVED_NS_OFFSET, System.nanoTime());
        record.putInt(RequestRecordDescriptor.FAN_OUT_SLOT_OFFSET, fanOutSlot);
        record.putBytes(RequestRecordDescriptor.FRAME_OFFSET, frame, 0, length);
        connection.requestStarted();
        assertTrue(ring.write(RequestRecordDescriptor.MSG_TYPE_REQUEST, record, 0, record.capacity()));
    }
}
