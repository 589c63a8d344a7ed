package io.loomcache.client.cli;

import java.util.Locale;

import io.loomcache.protocol.options.UsageException;

/**
 * The commands of the CLI: name, number of arguments, whether {@code --ttl} applies, and the usage line.
 */
enum Command {
    /** Prints the value of a key. */
    GET("get", 1, false, "get KEY", "print the value (raw bytes, then a newline); exit 1 when absent"),
    /** Stores a value. */
    PUT("put", 2, true, "put KEY VALUE [--ttl DURATION]", "store a value; prints OK once acknowledged"),
    /** Stores a value when the key is absent. */
    PUTIFABSENT("putifabsent", 2, true, "putifabsent KEY VALUE [--ttl DURATION]",
        "store when absent; prints true, or false (exit 1)"),
    /** Compare-and-set. */
    CAS("cas", 3, false, "cas KEY EXPECTED NEW", "replace when the value is EXPECTED; prints true, or false (exit 1)"),
    /** Removes a key. */
    REMOVE("remove", 1, false, "remove KEY", "remove a key; prints true, or false (exit 1)"),
    /** Tells whether a key is present. */
    CONTAINS("contains", 1, false, "contains KEY", "prints true, or false (exit 1)"),
    /** Counts the entries. */
    SIZE("size", 0, false, "size", "print the number of entries of the node"),
    /** Removes every entry. */
    CLEAR("clear", 0, false, "clear", "remove every entry of the node; prints OK"),
    /** Measures a round trip. */
    PING("ping", 0, false, "ping", "prints PONG and the round-trip time"),
    /** Prints a cluster's partition table. */
    PARTITIONS("partitions", 0, false, "partitions", "a cluster's Raft groups: leader, term, partitions (node's view)"),
    /** Describes the server. */
    INFO("info", 0, false, "info", "server address, protocol version, node id, limits, ping latency"),
    /** Prints the usage. */
    HELP("help", 0, false, "help", "print this help"),
    /** Leaves the interactive prompt. */
    QUIT("quit", 0, false, "quit", "leave the interactive prompt (also: exit, end of input)");

    private final String word;
    private final int arity;
    private final boolean takesTtl;
    private final String synopsis;
    private final String description;

    Command(final String word, final int arity, final boolean takesTtl, final String synopsis,
        final String description) {
        this.word = word;
        this.arity = arity;
        this.takesTtl = takesTtl;
        this.synopsis = synopsis;
        this.description = description;
    }

    /**
     * Finds a command by its word, ignoring case; "exit" is QUIT.
     *
     * @param word the word typed.
     * @return the command.
     * @throws UsageException for an unknown word.
     */
    static Command of(final String word) {
        final String lower = word.toLowerCase(Locale.ROOT);
        if ("exit".equals(lower)) {
            return QUIT;
        }
        for (final Command command : values()) {
            if (command.word.equals(lower)) {
                return command;
            }
        }
        throw new UsageException("unknown command '" + word + "'");
    }

    int arity() {
        return arity;
    }

    boolean takesTtl() {
        return takesTtl;
    }

    String synopsis() {
        return synopsis;
    }

    String description() {
        return description;
    }
}
