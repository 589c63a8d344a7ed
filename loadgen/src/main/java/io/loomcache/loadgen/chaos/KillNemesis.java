package io.loomcache.loadgen.chaos;

/**
 * SIGKILLs the member that leads most of the keys' groups ({@code scripts/cluster kill N}: no shutdown, unforced
 * bytes lost) and restarts it on the same data when healed ({@code scripts/cluster restart N}).
 */
final class KillNemesis implements Nemesis {
    private final ClusterControl cluster;
    private final LeaderPicker picker;
    private int killed = -1;

    KillNemesis(final ClusterControl cluster, final LeaderPicker picker) {
        this.cluster = cluster;
        this.picker = picker;
    }

    @Override
    public String inject(final int cycle) {
        final LeaderPicker.Pick pick = picker.pick();
        cluster.kill(pick.member());
        killed = pick.member();
        return "kill -9 " + ClusterControl.name(pick.member()) + " (" + pick.why() + ")";
    }

    @Override
    public void heal() {
        if (killed >= 0) {
            cluster.restart(killed);
            killed = -1;
        }
    }
}
