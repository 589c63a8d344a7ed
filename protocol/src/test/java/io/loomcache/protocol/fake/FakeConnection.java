package io.loomcache.protocol.fake;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.HelloDecoder;
import io.loomcache.protocol.HelloResponseEncoder;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseEncoder;

/**
 * One connection of the {@link FakeLoomServer}: a virtual thread reads, decodes and answers; answers produced while
 * handling one read are written together (or held back, or reversed, as the server's knobs say).
 */
final class FakeConnection {
    private static final byte[] MAP_ONLY = "only map 0 is served by this version".getBytes(StandardCharsets.US_ASCII);

    private final FakeLoomServer server;
    private final SocketChannel channel;
    private final int index;
    private final FrameDecoder decoder = new FrameDecoder(ProtocolLimits.DEFAULTS, this::onFrame);
    private final MapRequestDecoder request = new MapRequestDecoder(ProtocolLimits.DEFAULTS);
    private final HelloDecoder hello = new HelloDecoder();
    private final ResponseEncoder response = new ResponseEncoder();
    private final HelloResponseEncoder helloResponse = new HelloResponseEncoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH]);
    private final List<byte[]> outgoing = new ArrayList<>();
    private final List<byte[]> reorder = new ArrayList<>();
    private final List<byte[]> held = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong mapRequests = new AtomicLong();
    private Thread thread;

    FakeConnection(final FakeLoomServer server, final SocketChannel channel, final int index) {
        this.server = server;
        this.channel = channel;
        this.index = index;
    }

    FakeConnection start() {
        thread = Thread.ofVirtual().name("fake-server-connection-" + index).start(this::readLoop);
        return this;
    }

    private void readLoop() {
        final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        try {
            while (true) {
                bytes.clear();
                final int read = channel.read(bytes);
                if (read < 0 || decoder.onBytes(view, 0, read) < 0) {
                    break;
                }
                flush();
            }
        } catch (final IOException closed) {
            // The client or the test closed the connection.
        } finally {
            close();
        }
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length) {
        final int opcode = buffer.getShort(offset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
        if (opcode == Opcodes.HELLO) {
            onHello(buffer, offset, length, correlationId);
        } else if (opcode == Opcodes.PING) {
            server.pings.incrementAndGet();
            emit(response.wrap(scratch, 0).ok(correlationId), false);
        } else if (MapRequestDescriptor.isMapOpcode(opcode)) {
            onMapRequest(buffer, offset, length, correlationId);
        } else {
            emit(response.wrap(scratch, 0).error(correlationId, ErrorCode.UNSUPPORTED_OPERATION), false);
        }
    }

    private int helloResponse(final long correlationId, final int version) {
        return helloResponse.wrap(scratch, 0).correlationId(correlationId).negotiatedVersion(version)
            .nodeId(server.nodeId).maxFrameLength(server.maxFrameLength).partitionCount(server.partitionCount)
            .frameLength();
    }

    private void onHello(final DirectBuffer buffer, final int offset, final int length, final long correlationId) {
        hello.wrap(buffer, offset, length);
        final boolean refuse = server.hellosBeforeRefusing.getAndDecrement() <= 0 || !hello.isValid();
        switch (refuse ? FakeLoomServer.HelloMode.REFUSE : server.helloMode) {
            case ACCEPT -> emit(helloResponse(correlationId,
                hello.negotiate(FrameHeaderDescriptor.MIN_VERSION, FrameHeaderDescriptor.MAX_VERSION)), false);
            case REFUSE -> emit(response.wrap(scratch, 0).error(correlationId, ErrorCode.UNSUPPORTED_VERSION), false);
            case WRONG_VERSION -> emit(helloResponse(correlationId, 9), false);
            default -> {
                // SILENT: never answer.
            }
        }
    }

    private void onMapRequest(final DirectBuffer buffer, final int offset, final int length, final long correlationId) {
        request.wrap(buffer, offset, length);
        final long n = server.mapRequests.incrementAndGet();
        mapRequests.incrementAndGet();
        final ResponseEncoder out = response.wrap(scratch, 0);
        if (!request.isValid()) {
            emit(out.error(correlationId, request.decodeError()), false);
        } else if (request.mapId() != 0) {
            emit(out.error(correlationId, ErrorCode.INVALID_ARGUMENT, new UnsafeBuffer(MAP_ONLY), 0, MAP_ONLY.length),
                false);
        } else if (server.busyAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0 || isNth(n, server.busyEvery)) {
            emit(out.serverBusy(correlationId, server.busyRetryAfterMs), false);
        } else if (server.errorAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ||
            isNth(n, server.errorEvery)) {
            final byte[] message = server.errorMessage;
            emit(message == null ? out.error(correlationId, server.errorCode) :
                out.error(correlationId, server.errorCode, new UnsafeBuffer(message), 0, message.length), false);
        } else {
            final byte[] key = new byte[request.keyLength()];
            buffer.getBytes(request.keyOffset(), key);
            final byte[] prefix = server.holdPrefix;
            final boolean hold = prefix != null && key.length >= prefix.length &&
                Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
            emit(apply(request.opcode(), key, correlationId, out), hold);
        }
    }

    private static boolean isNth(final long n, final int every) {
        return every > 0 && n % every == 0;
    }

    private int apply(final int opcode, final byte[] key, final long correlationId, final ResponseEncoder out) {
        final ByteBuffer mapKey = ByteBuffer.wrap(key);
        synchronized (server.data) {
            final byte[] current = server.data.get(mapKey);
            return switch (opcode) {
                case Opcodes.MAP_PUT -> {
                    server.data.put(mapKey, value());
                    server.lastTtlMs = request.ttlMs();
                    yield out.ok(correlationId);
                }
                case Opcodes.MAP_GET -> current == null ? out.notFound(correlationId) :
                    out.value(correlationId, new UnsafeBuffer(current), 0, current.length);
                case Opcodes.MAP_REMOVE -> out.booleanResult(correlationId, server.data.remove(mapKey) != null);
                case Opcodes.MAP_GET_AND_PUT -> {
                    server.data.put(mapKey, value());
                    yield current == null ? out.notFound(correlationId) :
                        out.value(correlationId, new UnsafeBuffer(current), 0, current.length);
                }
                case Opcodes.MAP_PUT_IF_ABSENT -> {
                    server.lastTtlMs = request.ttlMs();
                    yield out.booleanResult(correlationId, server.data.putIfAbsent(mapKey, value()) == null);
                }
                case Opcodes.MAP_REPLACE -> {
                    final byte[] expected = new byte[request.expectedLength()];
                    request.buffer().getBytes(request.expectedOffset(), expected);
                    final boolean replaced = current != null && Arrays.equals(current, expected);
                    if (replaced) {
                        server.data.put(mapKey, value());
                    }
                    yield out.booleanResult(correlationId, replaced);
                }
                case Opcodes.MAP_CONTAINS_KEY -> out.booleanResult(correlationId, current != null);
                case Opcodes.MAP_SIZE -> out.longResult(correlationId, server.data.size());
                case Opcodes.MAP_CLEAR -> {
                    server.data.clear();
                    yield out.ok(correlationId);
                }
                default -> out.error(correlationId, ErrorCode.UNSUPPORTED_OPERATION);
            };
        }
    }

    private byte[] value() {
        final byte[] value = new byte[request.valueLength()];
        request.buffer().getBytes(request.valueOffset(), value);
        return value;
    }

    private void emit(final int frameLength, final boolean hold) {
        final byte[] frame = new byte[frameLength];
        scratch.getBytes(0, frame);
        if (hold) {
            held.add(frame);
        } else if (server.reorderBatch > 1) {
            reorder.add(frame);
            if (reorder.size() >= server.reorderBatch) {
                Collections.reverse(reorder);
                outgoing.addAll(reorder);
                reorder.clear();
            }
        } else {
            outgoing.add(frame);
        }
    }

    private void flush() throws IOException {
        if (server.reverseEachRead) {
            Collections.reverse(outgoing);
        }
        write(outgoing);
        outgoing.clear();
    }

    void releaseHeld() throws IOException {
        final List<byte[]> frames;
        synchronized (held) {
            frames = new ArrayList<>(held);
            held.clear();
        }
        write(frames);
    }

    private void write(final List<byte[]> frames) throws IOException {
        int total = 0;
        for (final byte[] frame : frames) {
            total += frame.length;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(total);
        for (final byte[] frame : frames) {
            bytes.put(frame);
        }
        bytes.flip();
        synchronized (this) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    long mapRequests() {
        return mapRequests.get();
    }

    int heldCount() {
        return held.size();
    }

    void close() {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Already closed.
        }
    }

    boolean isOpen() {
        return thread.isAlive();
    }

    void join() throws InterruptedException {
        thread.join(2_000);
    }
}
