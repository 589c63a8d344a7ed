package io.loomcache.loadgen.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the member that leads most of the keys' groups off from the other two with iptables DROP rules between the
 * members' addresses. Odd cycles cut both directions; even cycles one only, alternately the leader's packets to
 * the others (they stop hearing it and elect a new leader while it still believes it leads) and the others'
 * packets to the leader (they hear its heartbeats, it hears no acknowledgement). Healing deletes the rules.
 */
final class PartitionNemesis implements Nemesis {
    private final Firewall firewall;
    private final LeaderPicker picker;

    PartitionNemesis(final Firewall firewall, final LeaderPicker picker) {
        this.firewall = firewall;
        this.picker = picker;
    }

    @Override
    public String inject(final int cycle) {
        final LeaderPicker.Pick pick = picker.pick();
        final String leader = ChaosContext.HOSTS.get(pick.member());
        final boolean fromLeader = cycle % 2 == 1 || cycle % 4 == 2;
        final boolean toLeader = cycle % 2 == 1 || cycle % 4 == 0;
        final List<String> cut = new ArrayList<>();
        for (int n = 0; n < ClusterControl.MEMBERS; n++) {
            if (n == pick.member()) {
                continue;
            }
            final String other = ChaosContext.HOSTS.get(n);
            if (fromLeader) {
                firewall.drop(leader, other);
                cut.add(leader + "->" + other);
            }
            if (toLeader) {
                firewall.drop(other, leader);
                cut.add(other + "->" + leader);
            }
        }
        final String shape = fromLeader && toLeader ? "isolate" : "one-way cut of";
        return shape + " " + ClusterControl.name(pick.member()) + " (" + pick.why() + "): DROP "
            + String.join(" ", cut);
    }

    @Override
    public void heal() {
        firewall.heal();
    }
}
