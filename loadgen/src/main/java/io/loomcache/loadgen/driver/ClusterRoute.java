package io.loomcache.loadgen.driver;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.loomcache.loadgen.wire.KeyFormat;
import io.loomcache.protocol.KeySlot;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What one I/O agent knows of a cluster: its nodes (in {@code --nodes} order; every connection of the agent has one
 * link to each), the names a redirect may give each node ("host:port" as given and as resolved), and the leader of
 * each partition as learnt from redirects. A key's partition is its {@link KeySlot} partition under the
 * partition count the nodes announced, as the server computes it. Owned by the agent's thread;
 * allocates nothing after construction.
 */
final class ClusterRoute {
    /** {@link #leader(int)} of a partition whose leader is not known. */
    static final int UNKNOWN = -1;

    private final String[] nodeNames;
    private final byte[][] aliases;
    private final int[] aliasNodes;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[KeyFormat.KEY_LENGTH]);
    private int partitionCount = 1;
    private int[] leaders = new int[0];

    /**
     * Creates a route over the given nodes; every partition's leader is unknown.
     *
     * @param nodeNames each node's "host:port" as given, by node index.
     * @param aliases per node index, every "host:port" text a redirect may name it by.
     */
    ClusterRoute(final List<String> nodeNames, final List<List<String>> aliases) {
        this.nodeNames = nodeNames.toArray(String[]::new);
        int count = 0;
        for (final List<String> names : aliases) {
            count += names.size();
        }
        this.aliases = new byte[count][];
        this.aliasNodes = new int[count];
        int next = 0;
        for (int node = 0; node < aliases.size(); node++) {
            for (final String alias : aliases.get(node)) {
                this.aliases[next] = alias.getBytes(StandardCharsets.US_ASCII);
                this.aliasNodes[next++] = node;
            }
        }
    }

    /**
     * Sets the partition count the nodes announced in their handshake; forgets every leader.
     *
     * @param count the count, at least 1 (0, not announced, is taken as 1).
     */
    void partitionCount(final int count) {
        partitionCount = Math.max(1, count);
        leaders = new int[partitionCount];
        Arrays.fill(leaders, UNKNOWN);
    }

    /**
     * The partition of a load generator key.
     *
     * @param keyIndex the key number.
     * @return 0 .. partition count - 1.
     */
    int partitionOf(final long keyIndex) {
        KeyFormat.putKey(key, 0, keyIndex);
        return KeySlot.partition(key, 0, KeyFormat.KEY_LENGTH, partitionCount);
    }

    /**
     * The leader of a partition as far as known.
     *
     * @param partition the partition.
     * @return its node index, or {@link #UNKNOWN}.
     */
    int leader(final int partition) {
        return leaders[partition];
    }

    /**
     * Records a partition's leader; ignored for a partition out of range.
     *
     * @param partition the partition a redirect named.
     * @param node the leader's node index.
     */
    void leader(final int partition, final int node) {
        if (partition >= 0 && partition < leaders.length) {
            leaders[partition] = node;
        }
    }

    /**
     * Forgets a partition's leader if it is the given node (which said it does not know the leader).
     *
     * @param partition the partition.
     * @param node the node.
     */
    void forget(final int partition, final int node) {
        if (partition >= 0 && partition < leaders.length && leaders[partition] == node) {
            leaders[partition] = UNKNOWN;
        }
    }

    /**
     * Forgets every partition led by a node that cannot be reached.
     *
     * @param node the node.
     */
    void forgetNode(final int node) {
        for (int partition = 0; partition < leaders.length; partition++) {
            if (leaders[partition] == node) {
                leaders[partition] = UNKNOWN;
            }
        }
    }

    /**
     * Finds the node a redirect names.
     *
     * @param address the buffer holding "host:port".
     * @param offset the index of its first byte.
     * @param length its length.
     * @return the node index, or -1 when no node goes by that name.
     */
    int nodeOf(final DirectBuffer address, final int offset, final int length) {
        for (int i = 0; i < aliases.length; i++) {
            final byte[] alias = aliases[i];
            if (alias.length == length && matches(alias, address, offset)) {
                return aliasNodes[i];
            }
        }
        return -1;
    }

    private static boolean matches(final byte[] alias, final DirectBuffer address, final int offset) {
        for (int i = 0; i < alias.length; i++) {
            if (alias[i] != address.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number of nodes.
     *
     * @return &gt;= 1.
     */
    int nodes() {
        return nodeNames.length;
    }

    /**
     * A node's address as given.
     *
     * @param node the node index.
     * @return "host:port".
     */
    String nodeName(final int node) {
        return nodeNames[node];
    }
}
