package io.loomcache.loadgen.chaos;

/**
 * One kind of fault, injected and healed by the {@link NemesisDriver}'s thread, one fault at a time.
 */
interface Nemesis {
    /**
     * Injects a fault.
     *
     * @param cycle 1 for the run's first fault, 2 for the next, ...
     * @return what was done, one line, e.g. {@code kill -9 loomcache-1 (leads groups 2 4 of the keys)}.
     * @throws ChaosException when the fault could not be injected.
     */
    String inject(int cycle);

    /**
     * Heals the fault injected last: restarts, resumes, deletes the rules; returns once done (a restarted member is
     * live, not necessarily caught up).
     *
     * @throws ChaosException when it could not be healed.
     */
    void heal();

    /**
     * Makes the nemesis of a kind.
     *
     * @param kind the kind.
     * @param cluster the run's cluster.
     * @param firewall the iptables chain, opened; only partition uses it.
     * @param picker chooses the member to hit.
     * @return the nemesis.
     */
    static Nemesis of(final NemesisKind kind, final ClusterControl cluster, final Firewall firewall,
        final LeaderPicker picker) {
        return switch (kind) {
            case KILL -> new KillNemesis(cluster, picker);
            case PAUSE -> new PauseNemesis(cluster, picker);
            case PARTITION -> new PartitionNemesis(firewall, picker);
            case RESTART_ALL -> new RestartAllNemesis(cluster);
        };
    }
}
