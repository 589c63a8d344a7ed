package io.loomcache.server.resp;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.FrameHeaderEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.resp.RespGlob;
import io.loomcache.protocol.resp.RespReplyEncoder;
import io.loomcache.server.connection.Connection;

/**
 * A node's Redis publish/subscribe: which connections listen to which channels and patterns, and the delivery of a
 * published message to each of them. Redis runs this on its one thread; here the publishers are the readers of many
 * connections at once, so the channels are split over stripes, each guarded by its own lock, and the patterns have
 * one lock of their own (taken by a publish only while some pattern is subscribed).
 * <p>
 * A subscription change and a delivery to that channel hold the same lock, and a subscriber's reader queues its
 * UNSUBSCRIBE confirmation before it lets go of it; since the outbound queue is first in first out, no message of a
 * channel reaches a client after the confirmation that it left it (a RESP2 client reads the next thing as the reply
 * of its next command). The other way round, each subscription remembers the sequence number of the reply part that
 * follows its SUBSCRIBE confirmation; a message carries it ({@link RespCorrelation#PUSH}) and the connection's writer
 * holds it back until the confirmation is written ({@link RespReplies}).
 * <p>
 * A publish encodes its message once into the publisher's {@link Publisher} buffer and copies it into each
 * subscriber's outbound ring, patching the part number per subscriber (the writer writes the aggregate type, {@code *}
 * or RESP3's {@code >}, by the protocol of the reply before it, so a HELLO that switches takes effect in order);
 * nothing is allocated in steady state. Subscribing allocates (names are kept as byte arrays).
 * Subscribers past their spill limit are dropped as slow consumers only after every lock is released (closing a
 * connection may unsubscribe it, which takes locks), and writers are woken at the end of the publisher's chunk of
 * bytes, once per subscriber rather than once per message ({@link Publisher#wakeSubscribers()}). Messages are not
 * kept: a channel without subscribers drops them, as in Redis (at most once). Thread-safe.
 */
public final class PubSub {
    private static final int STRIPES = 16;
    /**
     * Where a message frame's RESP bytes start: after the header and the int64 part number its subscription's
     * confirmation is followed by (a number that does not wrap, unlike the correlation id's).
     */
    private static final int BODY = HEADER_LENGTH + Long.BYTES;
    private static final byte[] MESSAGE = RespErrors.ascii("message");
    private static final byte[] PMESSAGE = RespErrors.ascii("pmessage");

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Object patternLock = new Object();
    /** Patterns by name, guarded by {@link #patternLock}. */
    private final HashMap<Object, Channel> patterns = new HashMap<>();
    /** The same patterns, for an iteration that allocates nothing; guarded by {@link #patternLock}. */
    private final ArrayList<Channel> patternList = new ArrayList<>();
    /** {@link #patternList}'s size, read without the lock by every publish (and PUBSUB NUMPAT). */
    private volatile int patternCount;

    /**
     * Creates an empty hub.
     */
    public PubSub() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /**
     * Publishes a message to the subscribers of a channel and of the patterns that match it.
     *
     * @param channel the channel's bytes.
     * @param channelOffset of the channel.
     * @param channelLength of the channel.
     * @param message the message's bytes.
     * @param messageOffset of the message.
     * @param messageLength of the message.
     * @param publisher the publishing thread's buffers.
     * @return how many subscriptions received it (a client subscribed to the channel and a matching pattern counts
     *     twice, as in Redis).
     */
    public int publish(
        final DirectBuffer channel, final int channelOffset, final int channelLength,
        final DirectBuffer message, final int messageOffset, final int messageLength, final Publisher publisher) {
        int receivers = 0;
        final int hash = ChannelName.hash(channel, channelOffset, channelLength);
        final Stripe stripe = stripes[hash & (STRIPES - 1)];
        try {
            synchronized (stripe) {
                final Channel subscribed = stripe.lookup(hash, channel, channelOffset, channelLength);
                if (subscribed != null) {
                    final int length = publisher.encodeMessage(channel, channelOffset, channelLength, message,
                        messageOffset, messageLength);
                    receivers += subscribed.deliver(publisher, length);
                }
            }
            if (patternCount > 0) {
                synchronized (patternLock) {
                    for (int i = 0, n = patternList.size(); i < n; i++) {
                        final Channel pattern = patternList.get(i);
                        final byte[] glob = pattern.name.bytes;
                        publisher.patternView.wrap(glob);
                        if (RespGlob.matches(publisher.patternView, 0, glob.length, channel, channelOffset,
                            channelLength)) {
                            final int length = publisher.encodePatternMessage(glob, channel, channelOffset,
                                channelLength, message, messageOffset, messageLength);
                            receivers += pattern.deliver(publisher, length);
                        }
                    }
                }
            }
        } finally {
            publisher.afterDeliveries();
        }
        return receivers;
    }

    /**
     * Subscribes a connection to a channel (again is a no-op).
     *
     * @param subscriber the connection's subscriptions; its reader.
     * @param channel the channel's bytes.
     * @param offset of the channel.
     * @param length of the channel.
     * @param after the sequence number of the reply part after the confirmation: messages wait until it is written.
     */
    public void subscribe(
        final Subscriber subscriber, final DirectBuffer channel, final int offset, final int length,
        final long after) {
        final ChannelName name = ChannelName.copyOf(channel, offset, length);
        if (!subscriber.channels.add(name)) {
            return;
        }
        final Stripe stripe = stripes[name.hash & (STRIPES - 1)];
        synchronized (stripe) {
            stripe.channels.computeIfAbsent(name, Channel::new).add(subscriber, after);
        }
    }

    /**
     * Unsubscribes a connection from a channel; the caller queues the confirmation before {@code whileLocked}
     * returns, so nothing of the channel can follow it.
     *
     * @param subscriber the connection's subscriptions; its reader.
     * @param name the channel.
     * @param whileLocked runs with the channel's lock held (the confirmation is queued there), or null.
     * @return true when the connection was subscribed.
     */
    public boolean unsubscribe(final Subscriber subscriber, final ChannelName name, final Runnable whileLocked) {
        final boolean was = subscriber.channels.remove(name);
        final Stripe stripe = stripes[name.hash & (STRIPES - 1)];
        synchronized (stripe) {
            if (was) {
                final Channel channel = stripe.channels.get(name);
                if (channel != null && channel.remove(subscriber) == 0) {
                    stripe.channels.remove(name);
                }
            }
            if (whileLocked != null) {
                whileLocked.run();
            }
        }
        return was;
    }

    /**
     * Subscribes a connection to a pattern (Redis's glob syntax).
     *
     * @param subscriber the connection's subscriptions.
     * @param pattern the pattern's bytes.
     * @param offset of the pattern.
     * @param length of the pattern.
     * @param after as {@link #subscribe}.
     */
    public void psubscribe(
        final Subscriber subscriber, final DirectBuffer pattern, final int offset, final int length,
        final long after) {
        final ChannelName name = ChannelName.copyOf(pattern, offset, length);
        if (!subscriber.patterns.add(name)) {
            return;
        }
        synchronized (patternLock) {
            Channel entry = patterns.get(name);
            if (entry == null) {
                entry = new Channel(name);
                patterns.put(name, entry);
                patternList.add(entry);
                patternCount = patternList.size();
            }
            entry.add(subscriber, after);
        }
    }

    /**
     * Unsubscribes a connection from a pattern, as {@link #unsubscribe}.
     *
     * @param subscriber the connection's subscriptions.
     * @param name the pattern.
     * @param whileLocked runs with the patterns' lock held, or null.
     * @return true when the connection was subscribed.
     */
    public boolean punsubscribe(final Subscriber subscriber, final ChannelName name, final Runnable whileLocked) {
        final boolean was = subscriber.patterns.remove(name);
        synchronized (patternLock) {
            if (was) {
                final Channel entry = patterns.get(name);
                if (entry != null && entry.remove(subscriber) == 0) {
                    patterns.remove(name);
                    patternList.remove(entry);
                    patternCount = patternList.size();
                }
            }
            if (whileLocked != null) {
                whileLocked.run();
            }
        }
        return was;
    }

    /**
     * Ends every subscription of a connection without confirmations (RESET, or the connection closed).
     *
     * @param subscriber the connection's subscriptions.
     */
    public void unsubscribeAll(final Subscriber subscriber) {
        for (final ChannelName name : List.copyOf(subscriber.channels)) {
            unsubscribe(subscriber, name, null);
        }
        for (final ChannelName name : List.copyOf(subscriber.patterns)) {
            punsubscribe(subscriber, name, null);
        }
    }

    /**
     * The channels that have subscribers, matching a pattern (PUBSUB CHANNELS).
     *
     * @param pattern a glob, or null for all.
     * @return the names.
     */
    public List<byte[]> channels(final byte[] pattern) {
        final List<byte[]> names = new ArrayList<>();
        final UnsafeBuffer glob = pattern == null ? null : new UnsafeBuffer(pattern);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        for (final Stripe stripe : stripes) {
            synchronized (stripe) {
                for (final Channel channel : stripe.channels.values()) {
                    final byte[] name = channel.name.bytes;
                    view.wrap(name);
                    if (glob == null || RespGlob.matches(glob, 0, pattern.length, view, 0, name.length)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    /**
     * The subscribers of a channel (PUBSUB NUMSUB), patterns not counted.
     *
     * @param channel the channel's bytes.
     * @param offset of the channel.
     * @param length of the channel.
     * @return the count.
     */
    public int subscribers(final DirectBuffer channel, final int offset, final int length) {
        final int hash = ChannelName.hash(channel, offset, length);
        final Stripe stripe = stripes[hash & (STRIPES - 1)];
        synchronized (stripe) {
            final Channel subscribed = stripe.lookup(hash, channel, offset, length);
            return subscribed == null ? 0 : subscribed.count;
        }
    }

    /**
     * The patterns with subscribers (PUBSUB NUMPAT: distinct patterns, as Redis counts them).
     *
     * @return the count.
     */
    public int patterns() {
        return patternCount;
    }

    /**
     * The channels with subscribers (INFO's pubsub_channels).
     *
     * @return the count.
     */
    public int channelCount() {
        int count = 0;
        for (final Stripe stripe : stripes) {
            synchronized (stripe) {
                count += stripe.channels.size();
            }
        }
        return count;
    }

    /** One stripe of the channels; its monitor guards it. */
    private static final class Stripe {
        private final HashMap<Object, Channel> channels = new HashMap<>();
        private final Probe probe = new Probe();

        Channel lookup(final int hash, final DirectBuffer buffer, final int offset, final int length) {
            return channels.get(probe.wrap(hash, buffer, offset, length));
        }
    }

    /** A channel or pattern and its subscribers (unordered), guarded by its stripe's or the patterns' lock. */
    private static final class Channel {
        private final ChannelName name;
        private Subscriber[] subscribers = new Subscriber[2];
        private long[] after = new long[2];
        private int count;

        Channel(final Object name) {
            this.name = (ChannelName)name;
        }

        void add(final Subscriber subscriber, final long afterSequence) {
            if (count == subscribers.length) {
                subscribers = Arrays.copyOf(subscribers, count * 2);
                after = Arrays.copyOf(after, count * 2);
            }
            subscribers[count] = subscriber;
            after[count] = afterSequence;
            count++;
        }

        int remove(final Subscriber subscriber) {
            for (int i = 0; i < count; i++) {
                if (subscribers[i] == subscriber) {
                    count--;
                    subscribers[i] = subscribers[count];
                    after[i] = after[count];
                    subscribers[count] = null;
                    break;
                }
            }
            return count;
        }

        int deliver(final Publisher publisher, final int length) {
            int delivered = 0;
            for (int i = 0; i < count; i++) {
                if (publisher.deliver(subscribers[i], after[i], length)) {
                    delivered++;
                }
            }
            return delivered;
        }
    }

    /**
     * A channel's or pattern's name, kept as a copy; equal to a {@link Probe} over the same bytes, so that a lookup
     * by the bytes of a command allocates nothing.
     */
    public static final class ChannelName {
        private final byte[] bytes;
        private final int hash;

        private ChannelName(final byte[] bytes) {
            this.bytes = bytes;
            this.hash = hash(new UnsafeBuffer(bytes), 0, bytes.length);
        }

        /**
         * A name from bytes.
         *
         * @param buffer the bytes.
         * @param offset of the name.
         * @param length of the name.
         * @return a copy.
         */
        public static ChannelName copyOf(final DirectBuffer buffer, final int offset, final int length) {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            return new ChannelName(copy);
        }

        /**
         * The name's bytes (not to be changed).
         *
         * @return the bytes.
         */
        public byte[] bytes() {
            return bytes;
        }

        static int hash(final DirectBuffer buffer, final int offset, final int length) {
            int hash = 1;
            for (int i = 0; i < length; i++) {
                hash = 31 * hash + buffer.getByte(offset + i);
            }
            return hash ^ (hash >>> 16);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof ChannelName name && hash == name.hash && Arrays.equals(bytes, name.bytes);
        }
    }

    /** A reusable lookup key over bytes of a command; used under its stripe's lock. */
    private static final class Probe {
        private DirectBuffer buffer;
        private int offset;
        private int length;
        private int hash;

        Probe wrap(final int hash, final DirectBuffer buffer, final int offset, final int length) {
            this.hash = hash;
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(final Object other) {
            if (!(other instanceof ChannelName name) || name.hash != hash || name.bytes.length != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (buffer.getByte(offset + i) != name.bytes[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One connection's subscriptions: kept by its reader, read under the hub's locks by publishers.
     */
    public static final class Subscriber {
        private final Connection connection;
        private final Set<ChannelName> channels = new HashSet<>();
        private final Set<ChannelName> patterns = new HashSet<>();

        /**
         * The subscriptions of a connection.
         *
         * @param connection the connection messages go to.
         */
        public Subscriber(final Connection connection) {
            this.connection = connection;
        }

        /**
         * Channels and patterns subscribed, the count Redis's confirmations carry.
         *
         * @return the count.
         */
        public int count() {
            return channels.size() + patterns.size();
        }

        /**
         * Channels subscribed.
         *
         * @return the count.
         */
        public int channelCount() {
            return channels.size();
        }

        /**
         * Patterns subscribed.
         *
         * @return the count.
         */
        public int patternCount() {
            return patterns.size();
        }

        /**
         * A copy of the channels subscribed (UNSUBSCRIBE without arguments).
         *
         * @return the names.
         */
        public List<ChannelName> channels() {
            return List.copyOf(channels);
        }

        /**
         * A copy of the patterns subscribed.
         *
         * @return the names.
         */
        public List<ChannelName> patterns() {
            return List.copyOf(patterns);
        }
    }

    /**
     * A publishing thread's buffers: the message frame, and the connections to wake or drop once the locks are
     * released. One per Redis connection (its reader publishes).
     */
    public static final class Publisher {
        private static final int RECENT_WAKES = 8;
        private static final int MAX_PENDING_WAKES = 256;

        private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        private final ExpandableArrayBuffer peer = new ExpandableArrayBuffer(0);
        private final FrameHeaderEncoder header = new FrameHeaderEncoder();
        private final RespReplyEncoder encoder = new RespReplyEncoder();
        private final UnsafeBuffer patternView = new UnsafeBuffer(0, 0);
        private Connection self;
        private long selfAfter;
        private Connection[] woken = new Connection[8];
        private int wokenCount;
        private Connection[] dropped = new Connection[2];
        private int droppedCount;

        /**
         * Encodes a {@link io.loomcache.protocol.Opcodes#PEER_PUBLISH} of a message for the other members.
         *
         * @param channel the channel's bytes.
         * @param channelOffset of the channel.
         * @param channelLength of the channel.
         * @param message the message's bytes.
         * @param messageOffset of the message.
         * @param messageLength of the message.
         * @return the frame's length; the frame is {@link #peerFrame()}.
         */
        public int encodePeerPublish(
            final DirectBuffer channel, final int channelOffset, final int channelLength,
            final DirectBuffer message, final int messageOffset, final int messageLength) {
            final int body = HEADER_LENGTH + Integer.BYTES + channelLength + messageLength;
            peer.checkLimit(body);
            header.wrap(peer, 0).header(Opcodes.PEER_PUBLISH, 0, 0, body - HEADER_LENGTH);
            peer.putInt(HEADER_LENGTH, channelLength, BYTE_ORDER);
            peer.putBytes(HEADER_LENGTH + Integer.BYTES, channel, channelOffset, channelLength);
            peer.putBytes(HEADER_LENGTH + Integer.BYTES + channelLength, message, messageOffset, messageLength);
            return body;
        }

        /**
         * The buffer {@link #encodePeerPublish} wrote.
         *
         * @return the frame's buffer.
         */
        public DirectBuffer peerFrame() {
            return peer;
        }

        int encodeMessage(
            final DirectBuffer channel, final int channelOffset, final int channelLength,
            final DirectBuffer message, final int messageOffset, final int messageLength) {
            encoder.wrap(frame, BODY).resp3(false).array(3).bulk(MESSAGE)
                .bulk(channel, channelOffset, channelLength).bulk(message, messageOffset, messageLength);
            return finish();
        }

        int encodePatternMessage(
            final byte[] pattern, final DirectBuffer channel, final int channelOffset, final int channelLength,
            final DirectBuffer message, final int messageOffset, final int messageLength) {
            encoder.wrap(frame, BODY).resp3(false).array(4).bulk(PMESSAGE).bulk(pattern)
                .bulk(channel, channelOffset, channelLength).bulk(message, messageOffset, messageLength);
            return finish();
        }

        private int finish() {
            final int length = encoder.position();
            header.wrap(frame, 0).header(Opcodes.RESPONSE_OK, 0, RespCorrelation.of(0, RespCorrelation.PUSH, 0),
                length - HEADER_LENGTH);
            return length;
        }

        /** Queues the encoded message on one subscriber; under the channel's lock. */
        boolean deliver(final Subscriber subscriber, final long after, final int length) {
            final Connection connection = subscriber.connection;
            // the publisher's own subscription gets the message after its PUBLISH reply, as Redis 7.2 sends it
            frame.putLong(HEADER_LENGTH, connection == self ? Math.max(after, selfAfter) : after, BYTE_ORDER);
            if (!connection.hold()) {
                return false;
            }
            final int result;
            try {
                connection.ensureRing();
                result = connection.offer(frame, 0, length);
            } finally {
                connection.unhold();
            }
            if (result == Connection.OFFER_QUEUED) {
                if (!pendingWake(connection)) {
                    woken = add(woken, wokenCount++, connection);
                }
                return true;
            }
            if (result == Connection.OFFER_OVER_LIMIT) {
                dropped = add(dropped, droppedCount++, connection);
            }
            return false;
        }

        /**
         * Says which connection publishes next and the number of the part after its PUBLISH reply: if it is
         * subscribed itself, its copy waits for that reply.
         *
         * @param connection the publishing connection, or null (a peer's PUBLISH).
         * @param afterReply the part after the reply.
         */
        public void publishedBy(final Connection connection, final long afterReply) {
            self = connection;
            selfAfter = afterReply;
        }

        /**
         * Wakes the writers of the subscribers served since the last call: the publisher's reader calls it once at
         * the end of each chunk of bytes it read, so that a pipeline of PUBLISH wakes a subscriber's writer once,
         * not once per message (a wake from another thread is a system call). With no lock held.
         */
        public void wakeSubscribers() {
            for (int i = 0; i < wokenCount; i++) {
                woken[i].wakeWriter();
                woken[i] = null;
            }
            wokenCount = 0;
        }

        /** Whether a connection is among the last few to wake already (a short scan keeps the list short). */
        private boolean pendingWake(final Connection connection) {
            for (int i = wokenCount - 1, end = Math.max(0, wokenCount - RECENT_WAKES); i >= end; i--) {
                if (woken[i] == connection) {
                    return true;
                }
            }
            return false;
        }

        /** Drops the subscribers past their limit, and wakes the rest once many wait; with no lock held. */
        void afterDeliveries() {
            if (wokenCount >= MAX_PENDING_WAKES) {
                wakeSubscribers();
            }
            for (int i = 0; i < droppedCount; i++) {
                dropped[i].dropSlowConsumer(dropped[i].spillLimitReason() + " (pub/sub messages)");
                dropped[i] = null;
            }
            droppedCount = 0;
        }

        private static Connection[] add(final Connection[] array, final int index, final Connection connection) {
            final Connection[] target = index < array.length ? array : Arrays.copyOf(array, array.length * 2);
            target[index] = connection;
            return target;
        }
    }
}
