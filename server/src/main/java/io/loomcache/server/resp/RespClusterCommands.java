package io.loomcache.server.resp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.KeySlot;
import io.loomcache.protocol.resp.RespReplyEncoder;
import io.loomcache.protocol.resp.RespRequestParser;
import io.loomcache.server.cluster.ClusterMembers;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.executor.ReplicatedPartitions;

/**
 * Redis Cluster's view of a LoomCache cluster, for Redis Cluster clients ({@code redis-cli -c}, Lettuce's and Jedis's
 * cluster clients) to route by themselves: every partition is a contiguous range of Redis slots ({@link KeySlot}),
 * served by the member that leads the partition's Raft group, at the Redis port that member announced. CLUSTER
 * SLOTS, SHARDS and NODES list those ranges per leader (while a group elects, its preferred member: a client sent
 * there is answered MOVED or CLUSTERDOWN and retries; only a partition whose member's Redis port is not known yet is
 * left out, as Redis leaves out slots no node serves); CLUSTER INFO, MYID and KEYSLOT
 * answer as Redis does. A member's node id is the hex SHA-1 of its name, the same on every member. On a single
 * node every CLUSTER command gets Redis's "cluster support disabled" error. Reader thread; allocates (rare commands).
 */
final class RespClusterCommands {
    private static final byte[] DISABLED = RespErrors.ascii("ERR This instance has cluster support disabled");

    private final ServerContext context;
    private final ClusterMembers members;
    private final ExecutorGroup executors;

    RespClusterCommands(final ServerContext context, final ExecutorGroup executors) {
        this.context = context;
        this.members = context.members();
        this.executors = executors;
    }

    /** A range of slots and the member serving it. */
    private record Range(int firstSlot, int lastSlot, ClusterMembers.Member leader, int respPort) {
    }

    void execute(final RespRequestParser args, final RespReplyEncoder out) {
        final String sub = text(args, 1).toUpperCase(Locale.ROOT);
        if (members == null) {
            out.error(DISABLED);
            return;
        }
        switch (sub) {
            case "SLOTS" -> slots(out);
            case "SHARDS" -> shards(out);
            case "NODES" -> out.bulk(nodes().getBytes(StandardCharsets.UTF_8));
            case "INFO" -> out.bulk(info().getBytes(StandardCharsets.UTF_8));
            case "MYID" -> out.bulk(RespErrors.ascii(nodeId(members.self())));
            case "KEYSLOT" -> {
                if (args.argCount() != 3) {
                    out.error(RespErrors.ascii("ERR wrong number of arguments for 'cluster|keyslot' command"));
                } else {
                    out.integer(KeySlot.slot(args.buffer(), args.argOffset(2), args.argLength(2)));
                }
            }
            default -> out.error(RespErrors.ascii("ERR unknown subcommand '" + text(args, 1) + "', or one LoomCache " +
                "does not serve (it serves SLOTS, SHARDS, NODES, INFO, MYID, KEYSLOT). Try CLUSTER HELP."));
        }
    }

    /**
     * A key of each Raft group this member serves now (one of the group's partitions, as a {hash tag}), for FLUSHALL
     * and FLUSHDB, which clear those groups as a Redis Cluster master clears its slots: the groups it leads, and those
     * electing that CLUSTER SLOTS names it for (their MAP_CLEAR_GROUP is then answered CLUSTERDOWN, and the client
     * retries, rather than +OK with their keys kept).
     *
     * @return the keys; empty when the member serves no group.
     */
    List<UnsafeBuffer> servedGroupKeys() {
        final int groups = executors.raftGroups();
        final int partitions = context.partitions();
        final int self = members.self().id();
        final List<UnsafeBuffer> served = new ArrayList<>();
        for (int group = 0; group < groups; group++) {
            final int leaderId = executors.agentForGroup(group).replicated().group(group).leaderId();
            if (leaderId == self || leaderId < 0 && members.preferredLeader(group) == self) {
                // partition `group` belongs to the group (partition % groups)
                final byte[] key = ("{" + SlotTags.TAGS[KeySlot.firstSlot(group, partitions)] + "}")
                    .getBytes(StandardCharsets.US_ASCII);
                served.add(new UnsafeBuffer(key));
            }
        }
        return served;
    }

    /** For each Redis slot, a number whose decimal text as a {hash tag} falls in that slot; made once per process. */
    private static final class SlotTags {
        static final int[] TAGS = tags();

        private static int[] tags() {
            final int[] tags = new int[KeySlot.SLOTS];
            Arrays.fill(tags, -1);
            final UnsafeBuffer text = new UnsafeBuffer(new byte[11]);
            int missing = tags.length;
            // every slot is covered after about 16384 * ln(16384) numbers (CRC16 spreads them evenly)
            for (int tag = 0; missing > 0 && tag < Integer.MAX_VALUE; tag++) {
                final byte[] digits = Integer.toString(tag).getBytes(StandardCharsets.US_ASCII);
                text.putBytes(0, digits);
                final int slot = KeySlot.slot(text, 0, digits.length);
                if (tags[slot] < 0) {
                    tags[slot] = tag;
                    missing--;
                }
            }
            return tags;
        }
    }

    /** The Redis error a command gets on a single node. */
    static byte[] disabled() {
        return DISABLED.clone();
    }

    private List<Range> ranges() {
        final int partitions = context.partitions();
        final int groups = executors.raftGroups();
        final List<Range> ranges = new ArrayList<>();
        Range open = null;
        for (int partition = 0; partition < partitions; partition++) {
            final int group = partition % groups;
            final ReplicatedPartitions.Group state = executors.agentForGroup(group).replicated().group(group);
            // while a group elects, name the member that leads it when all are up: a client sent there is answered
            // MOVED or CLUSTERDOWN and retries, where a gap in the slot map fails it before it even tries
            final int leaderId = state.leaderId() >= 0 ? state.leaderId() : members.preferredLeader(group);
            final ClusterMembers.Member leader = leaderId < 0 ? null : members.byId(leaderId);
            final int respPort = leader == null ? ClusterMembers.NO_RESP_PORT : members.respPort(leaderId);
            final int first = KeySlot.firstSlot(partition, partitions);
            final int last = KeySlot.firstSlot(partition + 1, partitions) - 1;
            if (leader == null || respPort <= 0) {
                if (open != null) {
                    ranges.add(open);
                    open = null;
                }
            } else if (open != null && open.leader().id() == leaderId && open.lastSlot() + 1 == first) {
                open = new Range(open.firstSlot(), last, leader, respPort);
            } else {
                if (open != null) {
                    ranges.add(open);
                }
                open = new Range(first, last, leader, respPort);
            }
        }
        if (open != null) {
            ranges.add(open);
        }
        return ranges;
    }

    private void slots(final RespReplyEncoder out) {
        final List<Range> ranges = ranges();
        out.array(ranges.size());
        for (final Range range : ranges) {
            out.array(3).integer(range.firstSlot()).integer(range.lastSlot());
            out.array(3).bulk(RespErrors.ascii(range.leader().host())).integer(range.respPort())
                .bulk(RespErrors.ascii(nodeId(range.leader())));
        }
    }

    private void shards(final RespReplyEncoder out) {
        final Map<Integer, List<Range>> byLeader = new LinkedHashMap<>();
        for (final Range range : ranges()) {
            byLeader.computeIfAbsent(range.leader().id(), id -> new ArrayList<>()).add(range);
        }
        out.array(byLeader.size());
        for (final List<Range> owned : byLeader.values()) {
            final Range first = owned.get(0);
            out.map(2);
            out.bulk(RespErrors.ascii("slots")).array(2 * owned.size());
            for (final Range range : owned) {
                out.integer(range.firstSlot()).integer(range.lastSlot());
            }
            out.bulk(RespErrors.ascii("nodes")).array(1).map(7);
            out.bulk(RespErrors.ascii("id")).bulk(RespErrors.ascii(nodeId(first.leader())));
            out.bulk(RespErrors.ascii("port")).integer(first.respPort());
            out.bulk(RespErrors.ascii("ip")).bulk(RespErrors.ascii(first.leader().host()));
            out.bulk(RespErrors.ascii("endpoint")).bulk(RespErrors.ascii(first.leader().host()));
            out.bulk(RespErrors.ascii("role")).bulk(RespErrors.ascii("master"));
            out.bulk(RespErrors.ascii("replication-offset")).integer(0);
            out.bulk(RespErrors.ascii("health")).bulk(RespErrors.ascii("online"));
        }
    }

    private String nodes() {
        final Map<Integer, StringBuilder> slotsOf = new LinkedHashMap<>();
        for (final Range range : ranges()) {
            slotsOf.computeIfAbsent(range.leader().id(), id -> new StringBuilder()).append(' ')
                .append(range.firstSlot() == range.lastSlot() ? Integer.toString(range.firstSlot()) :
                    range.firstSlot() + "-" + range.lastSlot());
        }
        final StringBuilder text = new StringBuilder();
        int epoch = 0;
        for (final ClusterMembers.Member member : members.members()) {
            epoch++;
            final int respPort = members.respPort(member.id());
            final boolean self = member.id() == members.self().id();
            text.append(nodeId(member)).append(' ').append(member.host()).append(':')
                .append(Math.max(0, respPort)).append('@').append(member.port()).append(' ')
                .append(self ? "myself,master" : "master").append(respPort <= 0 ? ",noaddr" : "")
                .append(" - 0 0 ").append(epoch).append(" connected")
                .append(slotsOf.getOrDefault(member.id(), new StringBuilder())).append('\n');
        }
        return text.toString();
    }

    private String info() {
        final List<Range> ranges = ranges();
        int served = 0;
        final java.util.Set<Integer> leaders = new java.util.HashSet<>();
        for (final Range range : ranges) {
            served += range.lastSlot() - range.firstSlot() + 1;
            leaders.add(range.leader().id());
        }
        return "cluster_enabled:1\r\ncluster_state:" + (served == KeySlot.SLOTS ? "ok" : "fail") +
            "\r\ncluster_slots_assigned:" + KeySlot.SLOTS + "\r\ncluster_slots_ok:" + served +
            "\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:" + (KeySlot.SLOTS - served) +
            "\r\ncluster_known_nodes:" + members.size() + "\r\ncluster_size:" + leaders.size() +
            "\r\ncluster_current_epoch:" + members.size() + "\r\ncluster_my_epoch:" + (members.selfIndex() + 1) +
            "\r\n";
    }

    /** Redis's 40-hex-digit node id, from the member's name: the same on every member and across restarts. */
    static String nodeId(final ClusterMembers.Member member) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest(("loomcache-member:" + member.name()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (final NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JDK has no SHA-1", ex);
        }
    }

    private static String text(final RespRequestParser args, final int index) {
        final byte[] bytes = new byte[args.argLength(index)];
        args.buffer().getBytes(args.argOffset(index), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
