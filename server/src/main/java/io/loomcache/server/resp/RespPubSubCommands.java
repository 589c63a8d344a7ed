package io.loomcache.server.resp;

import java.util.List;
import java.util.Locale;

import org.agrona.DirectBuffer;

import io.loomcache.protocol.resp.RespReplyEncoder;
import io.loomcache.protocol.resp.RespRequestParser;
import io.loomcache.server.cluster.PeerLinks;
import io.loomcache.server.connection.Connection;

/**
 * Redis's publish/subscribe on the Redis port: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB
 * (CHANNELS, NUMSUB, NUMPAT), with Redis's replies (one confirmation per channel, carrying the connection's count of
 * subscriptions; pushes in RESP3) over the node's {@link PubSub}. A RESP2 connection with subscriptions may only send
 * the commands Redis allows in that context ({@link #refuses}). Reader thread only; PUBLISH allocates nothing,
 * subscribing does (it keeps the names).
 */
final class RespPubSubCommands {
    private static final byte[] SUBSCRIBE = RespErrors.ascii("subscribe");
    private static final byte[] UNSUBSCRIBE = RespErrors.ascii("unsubscribe");
    private static final byte[] PSUBSCRIBE = RespErrors.ascii("psubscribe");
    private static final byte[] PUNSUBSCRIBE = RespErrors.ascii("punsubscribe");
    private static final byte[] PONG = RespErrors.ascii("pong");
    private static final byte[] EMPTY = new byte[0];

    private final RespAdapter adapter;
    private boolean overLimit;

    RespPubSubCommands(final RespAdapter adapter) {
        this.adapter = adapter;
    }

    /**
     * Whether a command is refused because the connection is in RESP2's subscribed context, where Redis takes only
     * (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET; the error reply is written.
     *
     * @param command the command.
     * @return true when refused.
     */
    boolean refuses(final RespCommand command, final RespRequestParser args) {
        if (adapter.isResp3() || !adapter.subscribed()) {
            return false;
        }
        switch (command) {
            case SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PING, QUIT, RESET -> {
                return false;
            }
            default -> {
                adapter.beginReply().error(RespErrors.ascii("ERR Can't execute '" + fullName(command, args) +
                    "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
                adapter.endReply();
                return true;
            }
        }
    }

    /** Redis's full name of a command: a container's subcommand as {@code client|list}. */
    private static String fullName(final RespCommand command, final RespRequestParser args) {
        return switch (command) {
            case CLIENT, CONFIG, PUBSUB, COMMAND, CLUSTER, FUNCTION, DEBUG ->
                args.argCount() < 2 ? command.lowerName() :
                    command.lowerName() + "|" + RespServerCommands.text(args, 1).toLowerCase(Locale.ROOT);
            default -> command.lowerName();
        };
    }

    /**
     * PING in RESP2's subscribed context: {@code ["pong", message or ""]}, as Redis answers it there.
     *
     * @param args the command.
     * @return true when answered here (subscribed, RESP2); false for the ordinary PING.
     */
    boolean ping(final RespRequestParser args) {
        if (adapter.isResp3() || !adapter.subscribed() || args.argCount() > 2) {
            return false;
        }
        final RespReplyEncoder out = adapter.beginReply().array(2).bulk(PONG);
        if (args.argCount() == 2) {
            out.bulk(args.buffer(), args.argOffset(1), args.argLength(1));
        } else {
            out.bulk(EMPTY);
        }
        adapter.endReply();
        return true;
    }

    /**
     * SUBSCRIBE channel [channel ...] or PSUBSCRIBE pattern [pattern ...]: one confirmation per name.
     *
     * @param args the command.
     * @param patterns true for PSUBSCRIBE.
     */
    void subscribe(final RespRequestParser args, final boolean patterns) {
        final PubSub hub = adapter.pubSub();
        final PubSub.Subscriber subscriber = adapter.subscriber();
        final DirectBuffer buffer = args.buffer();
        for (int i = 1; i < args.argCount(); i++) {
            final RespReplyEncoder out = adapter.beginReply();
            // messages wait for the part after this confirmation (begun above, so nextPart() is that part)
            if (patterns) {
                hub.psubscribe(subscriber, buffer, args.argOffset(i), args.argLength(i), adapter.nextPart());
            } else {
                hub.subscribe(subscriber, buffer, args.argOffset(i), args.argLength(i), adapter.nextPart());
            }
            out.push(3).bulk(patterns ? PSUBSCRIBE : SUBSCRIBE).bulk(buffer, args.argOffset(i), args.argLength(i))
                .integer(subscriber.count());
            adapter.endReply();
        }
    }

    /**
     * UNSUBSCRIBE [channel ...] or PUNSUBSCRIBE [pattern ...]: one confirmation per name, every subscription of the
     * kind when none is named, one with a null name when there was none. Each confirmation is queued while the name's
     * lock is held, so no message of it follows.
     *
     * @param args the command.
     * @param patterns true for PUNSUBSCRIBE.
     */
    void unsubscribe(final RespRequestParser args, final boolean patterns) {
        final PubSub.Subscriber subscriber = adapter.subscriber();
        // a SUBSCRIBE confirmation in the same batch must be in a frame before the first UNSUBSCRIBE confirmation
        adapter.queueEarlierReplies();
        overLimit = false;
        if (args.argCount() == 1) {
            final List<PubSub.ChannelName> names = patterns ? subscriber.patterns() : subscriber.channels();
            if (names.isEmpty()) {
                adapter.beginReply().push(3).bulk(patterns ? PUNSUBSCRIBE : UNSUBSCRIBE).nullBulk()
                    .integer(subscriber.count());
                adapter.endReply();
            }
            for (final PubSub.ChannelName name : names) {
                unsubscribe(subscriber, name, patterns);
            }
        } else {
            for (int i = 1; i < args.argCount(); i++) {
                unsubscribe(subscriber, PubSub.ChannelName.copyOf(args.buffer(), args.argOffset(i),
                    args.argLength(i)), patterns);
            }
        }
        final Connection connection = adapter.connection();
        if (overLimit) {
            connection.dropSlowConsumer(connection.spillLimitReason());
        }
        connection.wakeWriter();
    }

    private void unsubscribe(final PubSub.Subscriber subscriber, final PubSub.ChannelName name,
        final boolean patterns) {
        final Runnable confirm = () -> {
            adapter.beginReply().push(3).bulk(patterns ? PUNSUBSCRIBE : UNSUBSCRIBE).bulk(name.bytes())
                .integer(subscriber.count());
            adapter.endReply();
            overLimit |= !adapter.queueRepliesNow();
        };
        if (patterns) {
            adapter.pubSub().punsubscribe(subscriber, name, confirm);
        } else {
            adapter.pubSub().unsubscribe(subscriber, name, confirm);
        }
    }

    /**
     * PUBLISH channel message: the count of subscriptions that received it.
     *
     * @param args the command.
     */
    void publish(final RespRequestParser args) {
        final PubSub.Publisher publisher = adapter.publisher();
        // the reply below is the next part: the publisher's own copy (RESP3) waits for the part after it
        publisher.publishedBy(adapter.connection(), adapter.nextPart() + 1);
        final int receivers = adapter.pubSub().publish(args.buffer(), args.argOffset(1), args.argLength(1),
            args.buffer(), args.argOffset(2), args.argLength(2), publisher);
        final PeerLinks peers = adapter.peers();
        if (peers != null) {
            // as Redis Cluster: every member delivers to its own subscribers; the reply counts this member's
            final int length = publisher.encodePeerPublish(args.buffer(), args.argOffset(1), args.argLength(1),
                args.buffer(), args.argOffset(2), args.argLength(2));
            peers.broadcast(publisher.peerFrame(), 0, length);
        }
        adapter.beginReply().integer(receivers);
        adapter.endReply();
    }

    /**
     * PUBSUB CHANNELS [pattern] | NUMSUB [channel ...] | NUMPAT | HELP.
     *
     * @param args the command.
     */
    void pubsub(final RespRequestParser args) {
        final String sub = RespServerCommands.text(args, 1).toUpperCase(Locale.ROOT);
        final PubSub hub = adapter.pubSub();
        final RespReplyEncoder out = adapter.beginReply();
        switch (sub) {
            case "CHANNELS" -> {
                if (args.argCount() > 3) {
                    // the handler's own check in Redis, whose text differs from the arity check's (NUMPAT's)
                    out.error(RespErrors.ascii("ERR unknown subcommand or wrong number of arguments for '" +
                        RespServerCommands.text(args, 1) + "'. Try PUBSUB HELP."));
                    break;
                }
                byte[] pattern = null;
                if (args.argCount() == 3) {
                    pattern = new byte[args.argLength(2)];
                    args.buffer().getBytes(args.argOffset(2), pattern);
                }
                final List<byte[]> names = hub.channels(pattern);
                out.array(names.size());
                for (final byte[] name : names) {
                    out.bulk(name);
                }
            }
            case "NUMSUB" -> {
                out.array(2 * (args.argCount() - 2));
                for (int i = 2; i < args.argCount(); i++) {
                    out.bulk(args.buffer(), args.argOffset(i), args.argLength(i))
                        .integer(hub.subscribers(args.buffer(), args.argOffset(i), args.argLength(i)));
                }
            }
            case "NUMPAT" -> {
                if (args.argCount() != 2) {
                    out.error(RespErrors.ascii("ERR wrong number of arguments for 'pubsub|numpat' command"));
                } else {
                    out.integer(hub.patterns());
                }
            }
            case "HELP" -> {
                if (args.argCount() != 2) {
                    out.error(RespErrors.ascii("ERR wrong number of arguments for 'pubsub|help' command"));
                    break;
                }
                final String[] lines = {
                    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "CHANNELS [<pattern>]",
                    "    Return the currently active channels matching a <pattern> (default: '*').",
                    "NUMPAT",
                    "    Return number of subscriptions to patterns.",
                    "NUMSUB [<channel> ...]",
                    "    Return the number of subscribers for the specified channels, excluding",
                    "    pattern subscriptions(default: no channels).",
                    "HELP",
                    "    Print this help.",
                };
                out.array(lines.length);
                for (final String line : lines) {
                    out.simple(RespErrors.ascii(line));
                }
            }
            default -> out.error(RespErrors.ascii("ERR unknown subcommand '" + RespServerCommands.text(args, 1) +
                "'. Try PUBSUB HELP."));
        }
        adapter.endReply();
    }

    /**
     * Ends every subscription without confirmations (RESET).
     */
    void reset() {
        adapter.endSubscriptions();
    }
}
