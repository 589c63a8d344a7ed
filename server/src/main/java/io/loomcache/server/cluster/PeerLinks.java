package io.loomcache.server.cluster;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.raft.Transport;
import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;

/**
 * The outbound half of the peer network, as Raft's {@link Transport}: one TCP connection to each other member, on
 * its client port, opened with a {@link Opcodes#PEER_HELLO}. Executors hand frames to a member's lock-free ring
 * (any thread, never blocking, a copy); the link's own thread drains the ring into one buffer and writes it with one
 * call, so the frames of all groups and executors bound for one peer leave together. Replies come back on the
 * peer's own link to this node; nothing is read here. While a link is down, frames are dropped (Raft retries), and
 * the thread reconnects with backoff. A write that makes no progress for {@link #STALL_TIMEOUT_MS} (a peer that
 * stopped reading) drops the connection.
 */
public final class PeerLinks implements Transport, AutoCloseable {
    /**
     * PEER_HELLO's body: the sender's member id (int32), the cluster fingerprint (int64) and, since the Redis port,
     * the sender's Redis port (int32, -1 for none), a trailing field an older member ignores.
     */
    public static final int HELLO_BODY_LENGTH = Integer.BYTES + Long.BYTES + Integer.BYTES;
    /** Bytes a link's ring holds before frames are dropped. */
    static final int RING_BYTES = 8 * 1024 * 1024;
    /** A write that makes no progress this long closes the connection. */
    static final long STALL_TIMEOUT_MS = 2_000;
    private static final long CONNECT_TIMEOUT_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 1_000;
    /**
     * How long an idle link thread parks: an executor that queues a frame unparks it (the sleeping flag and a full
     * fence on both sides rule out a lost wake-up), so the timeout only bounds how late the silence check runs; at
     * 1 ms the two idle links of a member woke 2,000 times a second.
     */
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long WRITE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int MSG_TYPE_FRAME = 1;
    /** A link that wrote but heard nothing back from its peer this long is reopened. */
    static final long SILENCE_TIMEOUT_MS = 3_000;
    private static final long HEARD_RECENTLY_MARK = 0;

    private final Int2ObjectHashMap<Link> links = new Int2ObjectHashMap<>();
    private final List<Link> all = new ArrayList<>();
    private final NodeLog log;
    private final InetSocketAddress localAddress;
    private final long fingerprint;
    private volatile boolean running = true;

    /**
     * Creates a link to every other member; nothing connects before {@link #start()}.
     *
     * @param members the cluster.
     * @param fingerprint the cluster settings' fingerprint, sent in PEER_HELLO.
     * @param maxFrameLength the largest frame a link must carry.
     * @param bindAddress the address this node binds (links leave from it unless it is a wildcard).
     * @param log the node's log.
     */
    public PeerLinks(final ClusterMembers members, final long fingerprint, final int maxFrameLength,
        final String bindAddress, final NodeLog log) {
        this.log = log;
        this.fingerprint = fingerprint;
        // links leave from the node's own address when it binds one, so that a rule on the pair of member
        // addresses (a partition test's iptables DROP) sees the link as this member's
        this.localAddress = bindAddress == null || bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ?
            null : new InetSocketAddress(bindAddress, 0);
        for (final ClusterMembers.Member member : members.members()) {
            if (member.id() != members.self().id()) {
                final Link link = new Link(member, members, maxFrameLength);
                links.put(member.id(), link);
                all.add(link);
            }
        }
    }

    /** Starts one thread per link. */
    public void start() {
        for (final Link link : all) {
            link.thread = Thread.ofPlatform().daemon().name("loomcache-peer-" + link.member.name()).start(link);
        }
    }

    @Override
    public boolean send(final int peerId, final DirectBuffer buffer, final int offset, final int length) {
        final Link link = links.get(peerId);
        return link != null && link.offer(buffer, offset, length);
    }

    /**
     * Offers one frame to every peer's link (a Redis PUBLISH); dropped for a peer whose link is down or full.
     *
     * @param buffer the frame's buffer.
     * @param offset of the frame.
     * @param length of the frame.
     */
    public void broadcast(final DirectBuffer buffer, final int offset, final int length) {
        for (int i = 0, n = all.size(); i < n; i++) {
            all.get(i).offer(buffer, offset, length);
        }
    }

    /**
     * Notes that a reply from a member (a response opcode, which it sends only in answer to this node's frames)
     * arrived on its link to this node: the evidence that this node's own link to it delivers. A link that has
     * written frames but heard no reply for {@link #SILENCE_TIMEOUT_MS} (a partition that silently drops packets,
     * where TCP would keep retransmitting into the void with growing backoff) is closed and opened again, so that
     * it is fresh the moment the network heals. Any thread.
     *
     * @param peerId the sender's member id.
     */
    public void heard(final int peerId) {
        final Link link = links.get(peerId);
        if (link != null && link.lastHeardNs != HEARD_RECENTLY_MARK) {
            link.lastHeardNs = HEARD_RECENTLY_MARK;
        }
    }

    /**
     * @param peerId a member id.
     * @return whether the link to that member is connected now; any thread.
     */
    public boolean connected(final int peerId) {
        final Link link = links.get(peerId);
        return link != null && link.connected;
    }

    /** @return frames dropped on all links (link down or ring full) since start. */
    public long droppedFrames() {
        long dropped = 0;
        for (final Link link : all) {
            dropped += link.dropped.sum();
        }
        return dropped;
    }

    /** @return frames written to peers since start. */
    public long sentFrames() {
        long sent = 0;
        for (final Link link : all) {
            sent += link.sent;
        }
        return sent;
    }

    @Override
    public void close() {
        running = false;
        for (final Link link : all) {
            final Thread thread = link.thread;
            if (thread != null) {
                LockSupport.unpark(thread);
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(3));
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private final class Link implements Runnable, ControlledMessageHandler {
        private final ClusterMembers.Member member;
        private final int selfId;
        private final ClusterMembers members;
        private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        private final ByteBuffer out;
        private final UnsafeBuffer outBuffer;
        private final LongAdder dropped = new LongAdder();
        private volatile boolean connected;
        private volatile boolean sleeping;
        private volatile long sent;
        /** 0 when a frame from the peer arrived since the link thread last looked, else when it first saw none. */
        private volatile long lastHeardNs;
        private Thread thread;
        private boolean discard;

        Link(final ClusterMembers.Member member, final ClusterMembers members, final int maxFrameLength) {
            this.member = member;
            this.selfId = members.self().id();
            this.members = members;
            this.out = ByteBuffer.allocateDirect(Math.max(1024 * 1024, 2 * maxFrameLength));
            this.outBuffer = new UnsafeBuffer(out);
        }

        boolean offer(final DirectBuffer buffer, final int offset, final int length) {
            if (!connected || !ring.write(MSG_TYPE_FRAME, buffer, offset, length)) {
                dropped.increment();
                return false;
            }
            // the ring's commit is a release store: fence it before reading the flag, or the link thread may find the
            // ring empty and park while this thread still reads it awake (a lost wake-up: a frame late by a park)
            VarHandle.fullFence();
            if (sleeping) {
                LockSupport.unpark(thread);
            }
            return true;
        }

        @Override
        public void run() {
            long backoffMs = 50;
            boolean reported = false;
            while (running) {
                SocketChannel channel = null;
                try {
                    channel = SocketChannel.open();
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    if (localAddress != null) {
                        channel.bind(localAddress);
                    }
                    channel.socket().connect(new InetSocketAddress(member.host(), member.port()),
                        (int)CONNECT_TIMEOUT_MS);
                    channel.configureBlocking(false);
                    out.clear();
                    writeHello();
                    discardQueued();
                    connected = true;
                    log.info(Component.CLUSTER, "peer link to " + member.name() + " at " + member.address() + " up");
                    reported = false;
                    backoffMs = 50;
                    pump(channel);
                } catch (final IOException | RuntimeException ex) {
                    if (!reported && running) {
                        reported = true;
                        log.info(Component.CLUSTER, "peer link to " + member.name() + " at " + member.address() +
                            " down: " + ex.getMessage() + "; retrying");
                    }
                } finally {
                    connected = false;
                    closeQuietly(channel);
                }
                discardQueued();
                if (running) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                }
            }
        }

        private void writeHello() {
            outBuffer.putInt(FrameHeaderDescriptor.BODY_LENGTH_OFFSET, HELLO_BODY_LENGTH,
                FrameHeaderDescriptor.BYTE_ORDER);
            outBuffer.putByte(FrameHeaderDescriptor.VERSION_OFFSET, (byte)FrameHeaderDescriptor.PROTOCOL_VERSION);
            outBuffer.putByte(FrameHeaderDescriptor.FLAGS_OFFSET, (byte)FrameHeaderDescriptor.FLAG_NO_REPLY);
            outBuffer.putShort(FrameHeaderDescriptor.OPCODE_OFFSET, (short)Opcodes.PEER_HELLO,
                FrameHeaderDescriptor.BYTE_ORDER);
            outBuffer.putLong(FrameHeaderDescriptor.CORRELATION_ID_OFFSET, 0, FrameHeaderDescriptor.BYTE_ORDER);
            outBuffer.putInt(FrameHeaderDescriptor.HEADER_LENGTH, selfId, FrameHeaderDescriptor.BYTE_ORDER);
            outBuffer.putLong(FrameHeaderDescriptor.HEADER_LENGTH + Integer.BYTES, fingerprint,
                FrameHeaderDescriptor.BYTE_ORDER);
            outBuffer.putInt(FrameHeaderDescriptor.HEADER_LENGTH + Integer.BYTES + Long.BYTES,
                members.respPort(selfId), FrameHeaderDescriptor.BYTE_ORDER);
            out.position(FrameHeaderDescriptor.HEADER_LENGTH + HELLO_BODY_LENGTH);
        }

        private void pump(final SocketChannel channel) throws IOException {
            long stalledSinceNs = 0;
            long silentSinceNs = System.nanoTime();
            long sentBeforeSilence = sent;
            lastHeardNs = silentSinceNs;
            while (running) {
                final long heard = lastHeardNs;
                final long nowNs = System.nanoTime();
                if (heard == HEARD_RECENTLY_MARK) {
                    silentSinceNs = nowNs;
                    sentBeforeSilence = sent;
                    lastHeardNs = nowNs;
                } else if (nowNs - silentSinceNs > TimeUnit.MILLISECONDS.toNanos(SILENCE_TIMEOUT_MS) &&
                    sent > sentBeforeSilence) {
                    throw new IOException("nothing heard from " + member.name() + " for " + SILENCE_TIMEOUT_MS +
                        " ms");
                }
                ring.controlledRead(this);
                if (out.position() == 0) {
                    sleeping = true;
                    if (ring.size() == 0) {
                        LockSupport.parkNanos(IDLE_PARK_NS);
                    }
                    sleeping = false;
                    continue;
                }
                out.flip();
                final int written = channel.write(out);
                out.compact();
                if (written > 0) {
                    stalledSinceNs = 0;
                } else {
                    if (stalledSinceNs == 0) {
                        stalledSinceNs = nowNs;
                    } else if (nowNs - stalledSinceNs > TimeUnit.MILLISECONDS.toNanos(STALL_TIMEOUT_MS)) {
                        throw new IOException("no write progress for " + STALL_TIMEOUT_MS + " ms");
                    }
                    LockSupport.parkNanos(WRITE_PARK_NS);
                }
            }
        }

        private void discardQueued() {
            discard = true;
            try {
                int read;
                while ((read = ring.controlledRead(this)) > 0) {
                    dropped.add(read);
                }
            } finally {
                discard = false;
            }
        }

        @Override
        public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
            final int length) {
            if (discard) {
                return Action.CONTINUE;
            }
            if (out.remaining() < length) {
                // the rest waits for the next write
                return Action.ABORT;
            }
            buffer.getBytes(index, out, out.position(), length);
            out.position(out.position() + length);
            sent++;
            return Action.CONTINUE;
        }

        private void closeQuietly(final SocketChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (final IOException ignored) {
                    // closing a broken link
                }
            }
        }
    }
}
