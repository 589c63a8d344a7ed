package io.loomcache.loadgen.chaos;

import java.util.List;

/**
 * The faults {@code scripts/chaos} injects, by their command-line names, in the order {@code --nemesis all} runs
 * them.
 */
public enum NemesisKind {
    /** SIGKILL the leader of the keys' groups, restart it after the hold. */
    KILL("kill"),
    /** SIGSTOP the leader of the keys' groups for the hold, then SIGCONT. */
    PAUSE("pause"),
    /** Cut the leader off from the other two members with iptables (every other time in one direction only). */
    PARTITION("partition"),
    /** SIGKILL every member at once, restart them all after the hold. */
    RESTART_ALL("restart-all");

    private final String label;

    NemesisKind(final String label) {
        this.label = label;
    }

    /**
     * The command-line name.
     *
     * @return e.g. {@code restart-all}.
     */
    public String label() {
        return label;
    }

    /**
     * Parses {@code --nemesis}: one name or {@code all}.
     *
     * @param text the value.
     * @return the nemeses to run, in order; null when the text names none.
     */
    static List<NemesisKind> parse(final String text) {
        if ("all".equals(text)) {
            return List.of(values());
        }
        for (final NemesisKind kind : values()) {
            if (kind.label.equals(text)) {
                return List.of(kind);
            }
        }
        return null;
    }
}
