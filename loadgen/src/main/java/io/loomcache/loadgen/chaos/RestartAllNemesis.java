package io.loomcache.loadgen.chaos;

/**
 * SIGKILLs every member at once and, when healed, restarts them all side by side on their data: every write
 * acknowledged before must still be there, which the run's final reads show the checker.
 */
final class RestartAllNemesis implements Nemesis {
    private final ClusterControl cluster;
    private boolean down;

    RestartAllNemesis(final ClusterControl cluster) {
        this.cluster = cluster;
    }

    @Override
    public String inject(final int cycle) {
        down = true;
        cluster.killAll();
        return "kill -9 every member";
    }

    @Override
    public void heal() {
        if (down) {
            cluster.restartAll();
            down = false;
        }
    }
}
