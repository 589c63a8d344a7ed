package io.loomcache.loadgen.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.FrameHeaderDecoder;
import io.loomcache.protocol.HelloDecoder;
import io.loomcache.protocol.HelloResponseEncoder;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A tiny LoomCache server for tests: speaks the real protocol over 127.0.0.1 (ephemeral port), answers HELLO, then
 * MAP_PUT / MAP_GET from a map. The n-th map request (counted over all connections, from 1) is answered
 * SERVER_BUSY when n % busyEvery == 0, else RESPONSE_ERROR STORE_FULL when n % errorEvery == 0. With reorder on, the
 * responses to each read are written in reverse order, so the client must match them by correlation id.
 */
public final class TinyLoomServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final int busyEvery;
    private final int errorEvery;
    private final boolean reorder;
    private final boolean refuseHello;
    private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    private final AtomicLong mapRequests = new AtomicLong();
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public TinyLoomServer(final int busyEvery, final int errorEvery, final boolean reorder, final boolean refuseHello)
        throws IOException {
        this.busyEvery = busyEvery;
        this.errorEvery = errorEvery;
        this.reorder = reorder;
        this.refuseHello = refuseHello;
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        acceptor = Thread.ofPlatform().daemon().name("tiny-loom-acceptor").start(this::accept);
    }

    public TinyLoomServer() throws IOException {
        this(0, 0, false, false);
    }

    public int port() {
        return ((InetSocketAddress)server.socket().getLocalSocketAddress()).getPort();
    }

    public long mapRequests() {
        return mapRequests.get();
    }

    public int size() {
        return entries.size();
    }

    public byte[] get(final String key) {
        return entries.get(key);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                final SocketChannel client = server.accept();
                clients.add(client);
                threads.add(Thread.ofPlatform().daemon().name("tiny-loom-conn").start(() -> serve(client)));
            } catch (final IOException ex) {
                return;
            }
        }
    }

    private void serve(final SocketChannel client) {
        final Session session = new Session();
        final FrameDecoder decoder = new FrameDecoder(ProtocolLimits.DEFAULTS, session::onFrame);
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        final UnsafeBuffer inView = new UnsafeBuffer(in);
        try {
            while (true) {
                in.clear();
                final int read = client.read(in);
                if (read < 0) {
                    return;
                }
                if (decoder.onBytes(inView, 0, read) < 0) {
                    return;
                }
                session.flush(client);
            }
        } catch (final IOException ex) {
            // The client went away: this connection's thread ends.
        } finally {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(final SocketChannel channel) {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (final SocketChannel client : clients) {
            closeQuietly(client);
        }
        try {
            acceptor.join(5_000);
            for (final Thread thread : threads) {
                thread.join(5_000);
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection's decoding state and pending responses. */
    private final class Session {
        private final MapRequestDecoder request = new MapRequestDecoder(ProtocolLimits.DEFAULTS);
        private final FrameHeaderDecoder header = new FrameHeaderDecoder();
        private final HelloDecoder hello = new HelloDecoder();
        private final ResponseEncoder response = new ResponseEncoder();
        private final HelloResponseEncoder helloResponse = new HelloResponseEncoder();
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
        private final List<byte[]> pending = new ArrayList<>();

        void onFrame(final DirectBuffer buffer, final int offset, final int length) {
            final int opcode = header.wrap(buffer, offset).opcode();
            final int written;
            if (opcode == Opcodes.HELLO) {
                hello.wrap(buffer, offset, length);
                written = refuseHello || !hello.isValid() ?
                    response.wrap(scratch, 0).error(hello.correlationId(), ErrorCode.UNSUPPORTED_VERSION) :
                    helloResponse.wrap(scratch, 0).correlationId(hello.correlationId()).negotiatedVersion(1).nodeId(1)
                        .maxFrameLength(ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH).partitionCount(271).frameLength();
            } else {
                written = answer(request.wrap(buffer, offset, length));
            }
            final byte[] bytes = new byte[written];
            scratch.getBytes(0, bytes);
            pending.add(bytes);
        }

        private int answer(final MapRequestDecoder map) {
            final long correlationId = map.correlationId();
            response.wrap(scratch, 0);
            if (!map.isValid()) {
                return response.error(correlationId, map.decodeError());
            }
            final long n = mapRequests.incrementAndGet();
            if (busyEvery > 0 && n % busyEvery == 0) {
                return response.serverBusy(correlationId, 1);
            }
            if (errorEvery > 0 && n % errorEvery == 0) {
                return response.error(correlationId, ErrorCode.STORE_FULL);
            }
            if (map.mapId() != 0) {
                final byte[] message = "only map 0 is served by this version".getBytes(StandardCharsets.US_ASCII);
                return response.error(correlationId, ErrorCode.INVALID_ARGUMENT, new UnsafeBuffer(message), 0,
                    message.length);
            }
            final String key = map.keyAsString();
            return switch (map.opcode()) {
                case Opcodes.MAP_PUT -> {
                    final byte[] value = new byte[map.valueLength()];
                    map.buffer().getBytes(map.valueOffset(), value);
                    entries.put(key, value);
                    yield response.ok(correlationId);
                }
                case Opcodes.MAP_GET -> {
                    final byte[] value = entries.get(key);
                    yield value == null ? response.notFound(correlationId) :
                        response.value(correlationId, new UnsafeBuffer(value), 0, value.length);
                }
                default -> response.error(correlationId, ErrorCode.UNSUPPORTED_OPERATION);
            };
        }

        void flush(final SocketChannel client) throws IOException {
            int total = 0;
            for (final byte[] bytes : pending) {
                total += bytes.length;
            }
            final ByteBuffer out = ByteBuffer.allocate(total);
            for (int i = 0; i < pending.size(); i++) {
                out.put(pending.get(reorder ? pending.size() - 1 - i : i));
            }
            pending.clear();
            out.flip();
            while (out.hasRemaining()) {
                client.write(out);
            }
        }
    }
}
