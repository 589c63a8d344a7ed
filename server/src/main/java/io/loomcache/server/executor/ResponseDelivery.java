package io.loomcache.server.executor;

import static io.loomcache.server.executor.StagedResponseDescriptor.CONNECTION_ID_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FAN_OUT_SLOT_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FLAGS_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FLAG_NO_REPLY;
import static io.loomcache.server.executor.StagedResponseDescriptor.FLAG_WRITE;
import static io.loomcache.server.executor.StagedResponseDescriptor.FRAME_LENGTH_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FRAME_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.OPCODE_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.PARTIAL_RESULT_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.RECEIVED_NS_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseDescriptor;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.metrics.LatencyRecorder;
import io.loomcache.server.metrics.ServerMetrics;

/**
 * Hands responses to their connections' outbound rings, completes fan-out requests and records per-opcode
 * latency and error counts. One instance per thread that answers requests (each executor, each reader); owns a
 * small encoding buffer; allocation-free unless a response spills.
 */
public final class ResponseDelivery {
    private static final int SCRATCH_LENGTH = 512;

    private final ConnectionRegistry registry;
    private final FanOutTable fanOut;
    private final ServerMetrics metrics;
    private final NanoClock nanoClock;
    private final LatencyRecorder latency;
    private final ResponseEncoder encoder = new ResponseEncoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SCRATCH_LENGTH]);

    /**
     * Creates a delivery for one thread.
     *
     * @param registry the node's connections.
     * @param fanOut the node's fan-out table.
     * @param metrics the node's metrics.
     * @param nanoClock the node's monotonic clock (not a cached one: a latency ends when its response is released,
     *     after the cycle's force), the clock requests were stamped with when read.
     */
    public ResponseDelivery(
        final ConnectionRegistry registry,
        final FanOutTable fanOut,
        final ServerMetrics metrics,
        final NanoClock nanoClock) {
        this(registry, fanOut, metrics, metrics.sharedLatency(), nanoClock);
    }

    /**
     * Creates a delivery for one executor, whose latencies go to a recorder of its own (one writer at a time: the
     * executor's holder).
     *
     * @param registry the node's connections.
     * @param fanOut the node's fan-out table.
     * @param metrics the node's metrics.
     * @param latency where answered requests are timed ({@link ServerMetrics#newLatencyRecorder()}).
     * @param nanoClock the node's monotonic clock, as above.
     */
    public ResponseDelivery(
        final ConnectionRegistry registry,
        final FanOutTable fanOut,
        final ServerMetrics metrics,
        final LatencyRecorder latency,
        final NanoClock nanoClock) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.metrics = metrics;
        this.latency = latency;
        this.nanoClock = nanoClock;
    }

    /**
     * Releases every staged response of a duty cycle.
     *
     * @param staging the executor's area.
     * @param durable false when the cycle's force failed: write responses become INTERNAL_ERROR.
     */
    public void release(final ResponseStaging staging, final boolean durable) {
        final UnsafeBuffer buffer = staging.buffer();
        final long nowNs = nanoClock.nanoTime();
        for (int entry = 0, limit = staging.limit(); entry < limit; entry = staging.nextEntry(entry)) {
            final int flags = buffer.getInt(entry + FLAGS_OFFSET);
            final int slot = buffer.getInt(entry + FAN_OUT_SLOT_OFFSET);
            final boolean failed = !durable && (flags & FLAG_WRITE) != 0;
            if (slot != RequestRecordDescriptor.NO_FAN_OUT_SLOT) {
                final int errorCode = failed ? ErrorCode.INTERNAL_ERROR : buffer.getInt(entry + FRAME_OFFSET);
                contribute(slot, buffer.getLong(entry + PARTIAL_RESULT_OFFSET), errorCode);
                continue;
            }
            latency.record(buffer.getInt(entry + OPCODE_OFFSET),
                nowNs - buffer.getLong(entry + RECEIVED_NS_OFFSET));
            final Connection connection = registry.get(buffer.getLong(entry + CONNECTION_ID_OFFSET));
            if (connection == null) {
                metrics.droppedResponse();
                continue;
            }
            if ((flags & FLAG_NO_REPLY) == 0) {
                final int frame = entry + FRAME_OFFSET;
                if (failed) {
                    final long correlationId = buffer.getLong(frame + FrameHeaderDescriptor.CORRELATION_ID_OFFSET);
                    deliver(connection, scratch, 0, encodeError(scratch, 0, correlationId, ErrorCode.INTERNAL_ERROR));
                } else {
                    deliver(connection, buffer, frame, buffer.getInt(entry + FRAME_LENGTH_OFFSET));
                }
            }
            connection.requestFinished();
            connection.wakeWriter();
        }
    }

    /**
     * Adds one part to a fan-out request and, when it was the last, answers it and frees the slot.
     *
     * @param slot the fan-out slot.
     * @param partial the part's result.
     * @param errorCode the part's error, or NONE.
     */
    public void contribute(final int slot, final long partial, final int errorCode) {
        if (!fanOut.contribute(slot, partial, errorCode)) {
            return;
        }
        latency.record(fanOut.opcode(slot), nanoClock.nanoTime() - fanOut.receivedNs(slot));
        final Connection connection = registry.get(fanOut.connectionId(slot));
        if (connection != null) {
            if ((fanOut.flags(slot) & FrameHeaderDescriptor.FLAG_NO_REPLY) == 0) {
                deliver(connection, scratch, 0, fanOut.encodeResult(slot, encoder, scratch, 0));
            }
            connection.requestFinished();
            connection.wakeWriter();
        } else {
            metrics.droppedResponse();
        }
        fanOut.free(slot);
    }

    /**
     * Finds an open connection by id; allocation-free.
     *
     * @param connectionId the id.
     * @return the connection, or null when it closed.
     */
    public Connection connection(final long connectionId) {
        return registry.get(connectionId);
    }

    /**
     * Encodes RESPONSE_ERROR with the code's standard message.
     *
     * @param buffer destination.
     * @param offset frame offset.
     * @param correlationId the request's id.
     * @param errorCode the code.
     * @return the frame length.
     */
    public int encodeError(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final int errorCode) {
        return encoder.wrap(buffer, offset).error(correlationId, errorCode);
    }

    /**
     * Encodes RESPONSE_SERVER_BUSY with the node's retry hint.
     *
     * @param buffer destination.
     * @param offset frame offset.
     * @param correlationId the request's id.
     * @return the frame length.
     */
    public int encodeBusy(final MutableDirectBuffer buffer, final int offset, final long correlationId) {
        return encoder.wrap(buffer, offset).serverBusy(correlationId, BackpressureController.RETRY_AFTER_MS);
    }

    /**
     * Queues one encoded response on a connection, counting error and busy responses; does not wake the writer.
     *
     * @param connection the target.
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     */
    public void deliver(final Connection connection, final DirectBuffer buffer, final int offset, final int length) {
        final int opcode =
            buffer.getShort(offset + FrameHeaderDescriptor.OPCODE_OFFSET, FrameHeaderDescriptor.BYTE_ORDER);
        if (opcode == Opcodes.RESPONSE_ERROR) {
            metrics.errorResponse(buffer.getInt(offset + FrameHeaderDescriptor.HEADER_LENGTH +
                ResponseDescriptor.ERROR_CODE_OFFSET, FrameHeaderDescriptor.BYTE_ORDER));
        } else if (opcode == Opcodes.RESPONSE_SERVER_BUSY) {
            metrics.busyResponse();
        }
        connection.deliver(buffer, offset, length);
    }
}
