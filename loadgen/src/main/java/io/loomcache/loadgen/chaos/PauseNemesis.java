package io.loomcache.loadgen.chaos;

/**
 * SIGSTOPs the member that leads most of the keys' groups ({@code scripts/cluster stop N}) for the hold, longer
 * than an election timeout, so the others elect new leaders; SIGCONT when healed. The woken member must neither
 * serve a stale read nor acknowledge a write it can no longer commit: the checker judges.
 */
final class PauseNemesis implements Nemesis {
    private final ClusterControl cluster;
    private final LeaderPicker picker;
    private int paused = -1;

    PauseNemesis(final ClusterControl cluster, final LeaderPicker picker) {
        this.cluster = cluster;
        this.picker = picker;
    }

    @Override
    public String inject(final int cycle) {
        final LeaderPicker.Pick pick = picker.pick();
        cluster.stop(pick.member());
        paused = pick.member();
        return "SIGSTOP " + ClusterControl.name(pick.member()) + " (" + pick.why() + ")";
    }

    @Override
    public void heal() {
        if (paused >= 0) {
            cluster.cont(paused);
            paused = -1;
        }
    }
}
