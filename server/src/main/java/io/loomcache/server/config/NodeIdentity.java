package io.loomcache.server.config;

import java.nio.charset.StandardCharsets;

/**
 * A node's name and the compact id the wire carries for it (HELLO's {@code nodeId}, an int). The seeds name nodes
 * the way their platform does: {@code single-node} in Docker, the pod name ({@code loomcache-0}) in a StatefulSet,
 * a number in older configs. A name that is a number from 0 to {@link #MAX_NUMERIC_ID} is its own id, as before; any
 * other name maps to {@code 2^30 + (FNV-1a 32-bit hash of its UTF-8 bytes mod 2^30)}: stable across restarts and
 * machines with no coordination, and never equal to a numeric id. Two different names of one cluster could still
 * share an id (about one chance in 10^8 for three nodes); the cluster checks its members' ids when it forms.
 */
public final class NodeIdentity {
    /** Largest name that is taken as a number, and so its own id. */
    public static final int MAX_NUMERIC_ID = (1 << 30) - 1;
    /** Longest name accepted (a DNS label's length). */
    public static final int MAX_NAME_LENGTH = 63;
    private static final int FNV_OFFSET = 0x811C_9DC5;
    private static final int FNV_PRIME = 0x0100_0193;

    private NodeIdentity() {
    }

    /**
     * Checks a node name: 1 to 63 characters of letters, digits, '.', '_' and '-', starting with a letter or digit.
     *
     * @param text the setting text.
     * @return the name.
     * @throws IllegalArgumentException naming the rule broken.
     */
    public static String parseName(final String text) {
        final String name = text.trim();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("not a node name (1-" + MAX_NAME_LENGTH + " characters)");
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            final boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && (i == 0 || c != '.' && c != '_' && c != '-')) {
                throw new IllegalArgumentException("not a node name (letters, digits, '.', '_', '-'; starting with " +
                    "a letter or digit)");
            }
        }
        if (isNumber(name) && (name.length() > 10 || Long.parseLong(name) > MAX_NUMERIC_ID)) {
            throw new IllegalArgumentException("a numeric node id must be 0.." + MAX_NUMERIC_ID);
        }
        return name;
    }

    /**
     * The compact id of a name checked by {@link #parseName}.
     *
     * @param name the node's name.
     * @return the number itself for a numeric name, else an id from 2^30 to 2^31 - 1.
     */
    public static int compactId(final String name) {
        if (isNumber(name)) {
            return Integer.parseInt(name);
        }
        int hash = FNV_OFFSET;
        for (final byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * FNV_PRIME;
        }
        return (1 << 30) | (hash & MAX_NUMERIC_ID);
    }

    private static boolean isNumber(final String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
