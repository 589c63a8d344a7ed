package io.loomcache.client.fake;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.HelloDecoder;
import io.loomcache.protocol.HelloResponseEncoder;
import io.loomcache.protocol.KeySlot;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.PartitionTableCodec;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseEncoder;

/**
 * One node of a fake LoomCache cluster, for client and load generator tests: a ServerSocketChannel on 127.0.0.1:0,
 * one virtual thread per connection decoding frames with the protocol module. HELLO is answered HELLO_RESPONSE
 * (partition count {@link #PARTITION_COUNT}), PING OK, MAP_SIZE and MAP_CLEAR UNSUPPORTED_OPERATION, and a keyed map
 * request by the first rule that applies: the next {@link #leaderUnknownFor n} are redirected with no leader (an
 * election), the next {@link #answerErrorFor n} get an error, a node {@link #silent()} never answers, a partition the
 * node does not {@link #leads lead} is redirected to the {@link #redirectTo leader}, and any other is answered from
 * the node's own map. Every knob may be set at any time; counts are per node. Close it in {@code finally}.
 */
public final class FakeClusterNode implements AutoCloseable {
    /** The partition count announced in HELLO_RESPONSE, the server's. */
    public static final int PARTITION_COUNT = 271;

    private final int nodeId;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new CopyOnWriteArrayList<>();
    private final Map<ByteBuffer, byte[]> data = new HashMap<>();
    private final AtomicLong mapRequests = new AtomicLong();
    private final AtomicLong hellos = new AtomicLong();
    private final AtomicInteger leaderUnknownAnswers = new AtomicInteger();
    private final AtomicInteger errorAnswers = new AtomicInteger();
    private volatile int errorCode;
    private volatile boolean silent;
    private volatile IntPredicate leads = partition -> true;
    private volatile int leaderId = -1;
    private volatile byte[] leaderAddress = new byte[0];
    private volatile long tableVersion = 1;
    private volatile byte[] partitionTable;

    /**
     * Binds 127.0.0.1 on an ephemeral port and starts accepting.
     *
     * @param nodeId the node id announced in HELLO_RESPONSE.
     * @throws UncheckedIOException if the port cannot be bound.
     */
    public FakeClusterNode(final int nodeId) {
        this(nodeId, 0);
    }

    /**
     * Binds 127.0.0.1 on a given port (a node restarted where a closed one listened) and starts accepting.
     *
     * @param nodeId the node id announced in HELLO_RESPONSE.
     * @param port the port, 0 for an ephemeral one.
     * @throws UncheckedIOException if the port cannot be bound.
     */
    public FakeClusterNode(final int nodeId, final int port) {
        this.nodeId = nodeId;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
        acceptor = Thread.ofVirtual().name("fake-node-" + nodeId + "-acceptor").start(this::acceptLoop);
    }

    /**
     * The partition a key belongs to, as the server computes it.
     *
     * @param key the key bytes.
     * @return 0 .. {@link #PARTITION_COUNT} - 1.
     */
    public static int partitionOf(final byte[] key) {
        return KeySlot.partition(new UnsafeBuffer(key), 0, key.length, PARTITION_COUNT);
    }

    /** @return the node's client port on 127.0.0.1. */
    public int port() {
        return ((InetSocketAddress)server.socket().getLocalSocketAddress()).getPort();
    }

    /** @return "127.0.0.1:port". */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** @return the node id. */
    public int nodeId() {
        return nodeId;
    }

    /**
     * Makes the node answer PARTITION_TABLE (else UNSUPPORTED_OPERATION): every one of {@code groups} groups led by
     * {@code leader}, whose address is given, in term 1.
     *
     * @param groups the group count.
     * @param leader the node named leader of every group.
     * @return this.
     */
    public FakeClusterNode partitionTable(final int groups, final FakeClusterNode leader) {
        final UnsafeBuffer table = new UnsafeBuffer(new byte[256 + groups * PartitionTableCodec.GROUP_LENGTH]);
        final UnsafeBuffer address = new UnsafeBuffer(leader.address().getBytes(StandardCharsets.US_ASCII));
        int position = PartitionTableCodec.putHead(table, 0, PARTITION_COUNT, groups, 1);
        position = PartitionTableCodec.putMember(table, position, leader.nodeId(), address);
        for (int g = 0; g < groups; g++) {
            position = PartitionTableCodec.putGroup(table, position, leader.nodeId(), 1);
        }
        partitionTable = Arrays.copyOf(table.byteArray(), position);
        return this;
    }

    /**
     * @param partitions the partitions this node answers itself; the others are redirected.
     * @return this.
     */
    public FakeClusterNode leads(final IntPredicate partitions) {
        leads = partitions;
        return this;
    }

    /**
     * @param leader where the partitions this node does not lead are redirected.
     * @return this.
     */
    public FakeClusterNode redirectTo(final FakeClusterNode leader) {
        return redirectTo(leader.nodeId(), leader.address());
    }

    /**
     * @param leaderNodeId the leader's node id put in redirects.
     * @param address the leader's "host:port" put in redirects.
     * @return this.
     */
    public FakeClusterNode redirectTo(final int leaderNodeId, final String address) {
        leaderAddress = address.getBytes(StandardCharsets.US_ASCII);
        leaderId = leaderNodeId;
        return this;
    }

    /**
     * @param version the partition table version put in redirects.
     * @return this.
     */
    public FakeClusterNode tableVersion(final long version) {
        tableVersion = version;
        return this;
    }

    /**
     * @param count how many of the next keyed map requests to redirect with no leader (id -1, empty address).
     * @return this.
     */
    public FakeClusterNode leaderUnknownFor(final int count) {
        leaderUnknownAnswers.set(count);
        return this;
    }

    /**
     * @param count how many of the next keyed map requests to answer RESPONSE_ERROR.
     * @param code the error code.
     * @return this.
     */
    public FakeClusterNode answerErrorFor(final int count, final int code) {
        errorCode = code;
        errorAnswers.set(count);
        return this;
    }

    /** @return this, which from now on answers no keyed map request (they are counted, then ignored). */
    public FakeClusterNode silent() {
        silent = true;
        return this;
    }

    /** @return the keyed map requests received over all connections. */
    public long mapRequests() {
        return mapRequests.get();
    }

    /** @return the HELLOs received, one per connection the client opened. */
    public long hellos() {
        return hellos.get();
    }

    /**
     * @param key a key, UTF-8.
     * @return the value this node stores under it, or null.
     */
    public byte[] stored(final String key) {
        synchronized (data) {
            return data.get(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Closes every accepted connection; the node keeps accepting. */
    public void dropConnections() {
        for (final SocketChannel channel : channels) {
            closeQuietly(channel);
        }
    }

    /** Stops accepting, closes every connection and waits (boundedly) for their threads; idempotent. */
    @Override
    public void close() {
        closeQuietly(server);
        dropConnections();
        try {
            acceptor.join(2_000);
            for (final Thread reader : readers) {
                reader.join(2_000);
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        try {
            while (true) {
                final SocketChannel channel = server.accept();
                channels.add(channel);
                readers.add(Thread.ofVirtual().name("fake-node-" + nodeId + "-connection")
                    .start(() -> new Session(channel).run()));
            }
        } catch (final IOException closed) {
            // The server socket was closed by close(): stop accepting.
        }
    }

    private static void closeQuietly(final Channel channel) {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Already closed.
        }
    }

    /** One accepted connection: decodes frames and writes each answer at once. */
    private final class Session {
        private final SocketChannel channel;
        private final FrameDecoder decoder = new FrameDecoder(ProtocolLimits.DEFAULTS, this::onFrame);
        private final MapRequestDecoder request = new MapRequestDecoder(ProtocolLimits.DEFAULTS);
        private final HelloDecoder hello = new HelloDecoder();
        private final ResponseEncoder response = new ResponseEncoder();
        private final HelloResponseEncoder helloResponse = new HelloResponseEncoder();
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH]);

        Session(final SocketChannel channel) {
            this.channel = channel;
        }

        void run() {
            final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
            final UnsafeBuffer view = new UnsafeBuffer(bytes);
            try {
                while (true) {
                    bytes.clear();
                    final int read = channel.read(bytes);
                    if (read < 0 || decoder.onBytes(view, 0, read) < 0) {
                        break;
                    }
                }
            } catch (final IOException | UncheckedIOException closed) {
                // The client or the test closed the connection.
            } finally {
                closeQuietly(channel);
            }
        }

        private void onFrame(final DirectBuffer buffer, final int offset, final int length) {
            final int opcode = buffer.getShort(offset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
            final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
            final ResponseEncoder out = response.wrap(scratch, 0);
            if (opcode == Opcodes.HELLO) {
                hellos.incrementAndGet();
                hello.wrap(buffer, offset, length);
                write(helloResponse.wrap(scratch, 0).correlationId(correlationId)
                    .negotiatedVersion(hello.negotiate(FrameHeaderDescriptor.MIN_VERSION,
                        FrameHeaderDescriptor.MAX_VERSION))
                    .nodeId(nodeId).maxFrameLength(ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH)
                    .partitionCount(PARTITION_COUNT).frameLength());
            } else if (opcode == Opcodes.PING) {
                write(out.ok(correlationId));
            } else if (opcode == Opcodes.PARTITION_TABLE && partitionTable != null) {
                final byte[] table = partitionTable;
                write(out.value(correlationId, new UnsafeBuffer(table), 0, table.length));
            } else if (opcode == Opcodes.MAP_SIZE || opcode == Opcodes.MAP_CLEAR ||
                !MapRequestDescriptor.isMapOpcode(opcode)) {
                write(out.error(correlationId, ErrorCode.UNSUPPORTED_OPERATION));
            } else {
                onKeyed(buffer, offset, length, correlationId, out);
            }
        }

        private void onKeyed(final DirectBuffer buffer, final int offset, final int length,
            final long correlationId, final ResponseEncoder out) {
            mapRequests.incrementAndGet();
            request.wrap(buffer, offset, length);
            if (!request.isValid()) {
                write(out.error(correlationId, request.decodeError()));
                return;
            }
            final byte[] key = new byte[request.keyLength()];
            buffer.getBytes(request.keyOffset(), key);
            final int partition = partitionOf(key);
            if (leaderUnknownAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                write(out.redirect(correlationId, tableVersion, partition, -1, scratch, 0, 0));
            } else if (errorAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                write(out.error(correlationId, errorCode));
            } else if (silent) {
                return;
            } else if (!leads.test(partition)) {
                final byte[] address = leaderAddress;
                write(out.redirect(correlationId, tableVersion, partition, leaderId, new UnsafeBuffer(address), 0,
                    address.length));
            } else {
                write(apply(request.opcode(), key, correlationId, out));
            }
        }

        private int apply(final int opcode, final byte[] key, final long correlationId, final ResponseEncoder out) {
            final ByteBuffer mapKey = ByteBuffer.wrap(key);
            synchronized (data) {
                final byte[] current = data.get(mapKey);
                return switch (opcode) {
                    case Opcodes.MAP_PUT -> {
                        data.put(mapKey, bytes(request.valueOffset(), request.valueLength()));
                        yield out.ok(correlationId);
                    }
                    case Opcodes.MAP_GET -> current == null ? out.notFound(correlationId) :
                        out.value(correlationId, new UnsafeBuffer(current), 0, current.length);
                    case Opcodes.MAP_REMOVE -> out.booleanResult(correlationId, data.remove(mapKey) != null);
                    case Opcodes.MAP_PUT_IF_ABSENT -> out.booleanResult(correlationId,
                        data.putIfAbsent(mapKey, bytes(request.valueOffset(), request.valueLength())) == null);
                    case Opcodes.MAP_REPLACE -> {
                        final boolean replaced = current != null &&
                            Arrays.equals(current, bytes(request.expectedOffset(), request.expectedLength()));
                        if (replaced) {
                            data.put(mapKey, bytes(request.valueOffset(), request.valueLength()));
                        }
                        yield out.booleanResult(correlationId, replaced);
                    }
                    case Opcodes.MAP_CONTAINS_KEY -> out.booleanResult(correlationId, current != null);
                    default -> out.error(correlationId, ErrorCode.UNSUPPORTED_OPERATION);
                };
            }
        }

        private byte[] bytes(final int offset, final int length) {
            final byte[] copy = new byte[length];
            request.buffer().getBytes(offset, copy);
            return copy;
        }

        private void write(final int frameLength) {
            final ByteBuffer frame = ByteBuffer.wrap(scratch.byteArray(), 0, frameLength);
            try {
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
