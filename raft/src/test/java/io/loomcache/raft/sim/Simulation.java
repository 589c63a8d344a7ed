package io.loomcache.raft.sim;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

import io.loomcache.checker.CheckResult;
import io.loomcache.checker.LinearizabilityChecker;
import io.loomcache.raft.Configuration;
import io.loomcache.raft.RaftContext;
import io.loomcache.raft.RaftListener;
import io.loomcache.raft.RaftNode;
import io.loomcache.raft.Transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One deterministic run of a Raft group from a seed: every member, message, client and fault is driven by one
 * event queue on one thread with a fake clock, so a seed replays the identical run. Faults (chosen by the seed):
 * crashes losing unforced bytes and restarts, symmetric and asymmetric partitions, loss, duplication and
 * reordering, slow disks, clock jumps, leadership transfers, and membership changes (remove a voter; wipe it, add
 * it back as a learner, promote it). The {@link Invariants} run after every event; at the end the network heals,
 * the group must converge, and the client history must be linearizable.
 */
public final class Simulation {
    private static final long MS = 1_000_000L;
    private static final long TICK_NS = MS;
    /** More frames than this from one step is a runaway loop, reported instead of filling the heap. */
    private static final int MAX_FRAMES_PER_STEP = 100_000;
    /** A run that needs more events than this is reported (a livelock or an event storm) rather than run on. */
    private static final long MAX_EVENTS = 20_000_000;

    private final long seed;
    private final SimOptions options;
    private final SplittableRandom random;
    private final PriorityQueue<SimEvent> events = new PriorityQueue<>();
    private final SimMember[] members = new SimMember[SimNetwork.MAX_MEMBERS];
    private final Invariants invariants = new Invariants(members);
    private final SimNetwork network;
    private final Workload workload;
    private final long[] delays = new long[2];
    private final UnsafeBuffer delivery = new UnsafeBuffer(new byte[0]);
    private long nowNs;
    private long eventSeq;
    private long eventsRun;
    private int framesThisStep;
    private int removedMember = -1;
    private int highestId;
    private long removalIndex;
    private long removalTerm;
    private boolean healing;
    final StringBuilder trace = new StringBuilder();

    /** What a run found. */
    public record Result(long seed, String options, String violation, long events, long simulatedMs,
        long acknowledged, long timedOut, long historyOps, long committed, String linearizability) {
        /** @return whether every check passed. */
        public boolean ok() {
            return violation == null;
        }
    }

    Simulation(final long seed, final SimOptions options) {
        this.seed = seed;
        this.options = options;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(random);
        network.dropRate = options.baseDropRate;
        network.duplicateRate = options.duplicateRate;
        network.minDelayNs = options.minDelayUs * 1_000L;
        network.maxDelayNs = options.maxDelayUs * 1_000L;
        this.workload = new Workload(this, options, random);
    }

    /**
     * Runs the simulation of a seed with the options the seed chooses.
     *
     * @param seed the seed.
     * @return the result.
     */
    public static Result run(final long seed) {
        return new Simulation(seed, SimOptions.fromSeed(seed)).run();
    }

    Result run() {
        final int[] voters = new int[options.members];
        for (int i = 0; i < voters.length; i++) {
            voters[i] = i + 1;
        }
        for (final int id : voters) {
            final SimMember member = new SimMember(id);
            // Clock rates within 5% of true time: any two differ by a factor of at most 1.05 / 0.95 < 1 / (1 - 0.1),
            // the bound the lease tolerates with maxClockDriftRatio 0.1.
            member.clockRate = 1.0 + (random.nextDouble() - 0.5) * 0.1;
            member.clockOffsetNs = random.nextLong(1_000 * MS);
            members[id] = member;
            member.log = new CheckedLog(id, invariants, this::crashInForce);
            start(member, voters);
        }
        for (int c = 0; c < workload.clientCount(); c++) {
            scheduleClient(c, 50 + random.nextInt(200));
        }
        if (options.faults) {
            schedule(nowNs + (200 + random.nextInt(400)) * MS, SimEvent.FAULT, 0, 0, 0, null, null);
        }
        final long faultEndNs = options.faultPhaseMs * MS;
        schedule(faultEndNs, SimEvent.ACTION, 0, 0, 0, null, this::heal);
        schedule(faultEndNs + options.healPhaseMs * MS / 2, SimEvent.ACTION, 0, 0, 0, null, workload::stop);
        final long endNs = faultEndNs + options.healPhaseMs * MS;
        runUntil(endNs, false);
        // Give the healed group up to ten more seconds to converge (every member applied all it committed).
        runUntil(endNs + 10_000 * MS, true);
        String linearizability = "not checked";
        if (invariants.violation() == null) {
            checkConverged();
        }
        if (invariants.violation() == null) {
            final CheckResult result = LinearizabilityChecker.check(workload.history, 5_000_000);
            linearizability = result.verdict().toString();
            if (result.verdict() != CheckResult.Verdict.LINEARIZABLE) {
                invariants.fail("history not linearizable" + (result.verdict() == CheckResult.Verdict.UNKNOWN
                    ? " (undecided within the state budget)" : "") + ":\n" + result.describe());
            }
        }
        return new Result(seed, options.toString(), invariants.violation(), eventsRun, nowNs / MS,
            workload.acknowledged, workload.timedOut, workload.history.size(), invariants.maxCommitted(),
            linearizability);
    }

    private void runUntil(final long endNs, final boolean untilConverged) {
        while (!events.isEmpty() && invariants.violation() == null) {
            final SimEvent event = events.peek();
            if (event.timeNs > endNs && workload.quiescent()) {
                break;
            }
            if (untilConverged && workload.quiescent() && convergenceFailure() == null) {
                break;
            }
            events.poll();
            nowNs = event.timeNs;
            framesThisStep = 0;
            handle(event);
            eventsRun++;
            invariants.check(nowNs / MS);
            if (eventsRun > MAX_EVENTS) {
                invariants.fail("more than " + MAX_EVENTS + " events: livelock or event storm");
            }
        }
    }

    /**
     * Measures one election: a group with the default timeouts and no faults runs for two simulated seconds,
     * its leader stops (crashes), and the time until another member leads is returned.
     *
     * @return simulated milliseconds from the leader's stop to the next leader, or -1 if none within 10 s.
     */
    long measureElectionMs() {
        final int[] voters = new int[options.members];
        for (int i = 0; i < voters.length; i++) {
            voters[i] = i + 1;
        }
        for (final int id : voters) {
            final SimMember member = new SimMember(id);
            members[id] = member;
            member.log = new CheckedLog(id, invariants, this::crashInForce);
            start(member, voters);
        }
        runUntil(2_000 * MS, false);
        final SimMember old = leader();
        if (old == null || invariants.violation() != null) {
            return -1;
        }
        crash(old);
        final long stoppedNs = nowNs;
        while (!events.isEmpty() && nowNs < stoppedNs + 10_000 * MS) {
            final SimEvent event = events.poll();
            nowNs = event.timeNs;
            handle(event);
            invariants.check(nowNs / MS);
            final SimMember next = leader();
            if (next != null) {
                return (nowNs - stoppedNs) / MS;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------------ members

    private void start(final SimMember member, final int[] initialVoters) {
        member.incarnation++;
        highestId = Math.max(highestId, member.id);
        final int incarnation = member.incarnation;
        // Everything a member does reaches the world only while this incarnation lives: a member that crashed
        // inside a force finishes running its code, but none of its sends, answers or acknowledgements exist.
        member.stateMachine = new RegisterStateMachine(member.id,
            (id, index, term, opId, op, key, success, digest) -> {
                if (member.alive && member.incarnation == incarnation) {
                    onApply(id, index, term, opId, op, key, success, digest);
                }
            }, options.stateMachineBug);
        final RaftContext context = new RaftContext()
            .groupId(7)
            .memberId(member.id)
            .initialVoters(initialVoters)
            .electionTimeoutMs(300, 600)
            .heartbeatIntervalMs(50)
            .maxAppendBytes(options.maxAppendBytes)
            .snapshotEveryEntries(options.snapshotEveryEntries)
            .snapshotChunkBytes(options.snapshotChunkBytes)
            .leaseReads(options.leaseReads)
            .preVote(options.preVote)
            .maxClockDriftRatio(0.1)
            .randomSeed(random.nextLong());
        final int id = member.id;
        final Transport transport = (peer, buffer, offset, length) ->
            member.alive && member.incarnation == incarnation && send(id, peer, buffer, offset, length);
        member.node = new RaftNode(context, () -> member.nowNs(nowNs), transport, member.log,
            member.stateMachine, listener(member, incarnation));
        member.alive = true;
        schedule(nowNs + random.nextInt(1_000_000), SimEvent.TICK, id, member.incarnation, 0, null, null);
    }

    private RaftListener listener(final SimMember member, final int incarnation) {
        final int id = member.id;
        return new RaftListener() {
            @Override
            public void onReadReady(final long correlationId, final long readIndex) {
                if (member.alive && member.incarnation == incarnation) {
                    workload.onReadReady(id, correlationId);
                }
            }

            @Override
            public void onReadRejected(final long correlationId) {
                if (member.alive && member.incarnation == incarnation) {
                    workload.onReadRejected(id, correlationId);
                }
            }

            @Override
            public void onRoleChange(final int role, final long term, final int leaderId) {
                if (role == RaftNode.ROLE_FAILED && member.incarnation == incarnation) {
                    invariants.fail("member " + id + " stopped on a storage failure");
                }
            }
        };
    }

    private void onApply(final int member, final long index, final long term, final long opId, final int op,
        final long key, final boolean success, final long digest) {
        invariants.onApply(member, index, term, digest);
        workload.onApply(member, index, term, opId, success);
    }

    private boolean send(final int from, final int to, final DirectBuffer buffer, final int offset,
        final int length) {
        if (to <= 0 || to >= SimNetwork.MAX_MEMBERS) {
            return false;
        }
        if (++framesThisStep > MAX_FRAMES_PER_STEP) {
            throw new IllegalStateException("member " + from + " sent more than " + MAX_FRAMES_PER_STEP
                + " frames in one step at " + nowNs / MS + " ms: a runaway loop");
        }
        final int copies = network.route(from, to, delays);
        if (copies == 0) {
            return true;
        }
        final SimMember sender = members[from];
        final long disk = sender != null && sender.log.memory.forceCount() > sender.forceCountAtEventStart
            ? sender.diskLatencyNs : 0;
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        for (int i = 0; i < copies; i++) {
            schedule(nowNs + disk + delays[i], SimEvent.DELIVER, from, to, 0, bytes, null);
        }
        return true;
    }

    private void crash(final SimMember member) {
        member.alive = false;
        // Usually everything unforced is lost; sometimes the kernel had already written a prefix of it.
        member.log.memory.crash(random.nextInt(3) == 0 ? random.nextInt(20) : 0);
        member.incarnation++;
        workload.onCrash(member.id);
        note("crash " + member.id);
    }

    /** The member crashed inside a force: what it sent is in flight, nothing after its last force is on disk. */
    private void crashInForce(final int id) {
        final SimMember member = members[id];
        crash(member);
        after(20 + random.nextInt(500), () -> restart(member));
    }

    private void restart(final SimMember member) {
        if (!member.alive && !member.retired) {
            member.log = new CheckedLog(member.id, invariants, this::crashInForce, member.log.memory);
            start(member, initialVoters(member));
            note("restart " + member.id);
        }
    }

    private int[] initialVoters(final SimMember member) {
        if (!member.founding) {
            return new int[0];
        }
        final int[] voters = new int[options.members];
        for (int i = 0; i < voters.length; i++) {
            voters[i] = i + 1;
        }
        return voters;
    }

    // ------------------------------------------------------------------------------------------------ events

    private void handle(final SimEvent event) {
        switch (event.kind) {
            case SimEvent.TICK -> {
                final SimMember member = members[event.a];
                if (member != null && member.alive && member.incarnation == event.b) {
                    member.forceCountAtEventStart = member.log.memory.forceCount();
                    try {
                        member.node.doWork(member.nowNs(nowNs));
                        schedule(nowNs + TICK_NS, SimEvent.TICK, member.id, member.incarnation, 0, null, null);
                    } catch (final CheckedLog.MemberCrashed crashed) {
                        note("(" + crashed.getMessage() + ")");
                    }
                }
            }
            case SimEvent.DELIVER -> {
                final SimMember member = members[event.b];
                if (member != null && member.alive) {
                    member.forceCountAtEventStart = member.log.memory.forceCount();
                    delivery.wrap(event.bytes);
                    try {
                        member.node.onMessage(delivery, 0, event.bytes.length);
                    } catch (final CheckedLog.MemberCrashed crashed) {
                        note("(" + crashed.getMessage() + ")");
                    }
                }
            }
            case SimEvent.CLIENT -> workload.step(event.a);
            case SimEvent.CLIENT_TIMEOUT -> workload.onTimeout(event.a, event.c);
            case SimEvent.FAULT -> {
                if (!healing) {
                    injectFault();
                    schedule(nowNs + (30 + random.nextInt(300)) * MS, SimEvent.FAULT, 0, 0, 0, null, null);
                }
            }
            case SimEvent.ACTION -> event.action.run();
            default -> throw new IllegalStateException("unknown event " + event.kind);
        }
    }

    private void schedule(final long timeNs, final int kind, final int a, final int b, final long c,
        final byte[] bytes, final Runnable action) {
        events.add(new SimEvent(timeNs, eventSeq++, kind, a, b, c, bytes, action));
    }

    void scheduleClient(final int clientId, final long delayMs) {
        schedule(nowNs + delayMs * MS, SimEvent.CLIENT, clientId, 0, 0, null, null);
    }

    void scheduleClientTimeout(final int clientId, final long opId, final long deadlineNs) {
        schedule(deadlineNs, SimEvent.CLIENT_TIMEOUT, clientId, 0, opId, null, null);
    }

    private void after(final long delayMs, final Runnable action) {
        schedule(nowNs + delayMs * MS, SimEvent.ACTION, 0, 0, 0, null, action);
    }

    long nowNs() {
        return nowNs;
    }

    SimMember member(final int id) {
        return id > 0 && id < SimNetwork.MAX_MEMBERS ? members[id] : null;
    }

    int memberSlots() {
        return highestId;
    }

    Invariants invariants() {
        return invariants;
    }

    private void note(final String what) {
        if (trace.length() < 20_000) {
            trace.append(nowNs / MS).append("ms ").append(what).append('\n');
        }
    }

    // ------------------------------------------------------------------------------------------------ faults

    private void injectFault() {
        final int roll = random.nextInt(100);
        final SimMember currentLeader = leader();
        final SimMember victim = currentLeader != null && random.nextBoolean()
            ? currentLeader : members[1 + random.nextInt(options.members)];
        if (roll < 12) {
            if (victim.alive) {
                crash(victim);
                after(20 + random.nextInt(500), () -> restart(victim));
            }
        } else if (roll < 20) {
            if (victim.alive) {
                victim.log.crashAtNextForce = true;
            }
        } else if (roll < 35) {
            final boolean[] side = new boolean[SimNetwork.MAX_MEMBERS];
            for (int id = 1; id <= options.members; id++) {
                side[id] = random.nextBoolean();
            }
            network.partition(side);
            note("partition");
            after(50 + random.nextInt(800), this::healNetwork);
        } else if (roll < 45) {
            final int to = 1 + random.nextInt(options.members);
            network.block(victim.id, to);
            note("block " + victim.id + "->" + to);
            after(50 + random.nextInt(800), this::healNetwork);
        } else if (roll < 50) {
            network.dropRate = random.nextDouble() * 0.3;
            after(100 + random.nextInt(500), () -> network.dropRate = options.baseDropRate);
        } else if (roll < 55) {
            // Some messages take far longer than the rest: stale votes and appends arrive terms later.
            network.longDelayRate = 0.05 + random.nextDouble() * 0.25;
            network.longDelayMaxNs = (100 + random.nextInt(1_500)) * MS;
            note("long delays");
            after(200 + random.nextInt(800), () -> network.longDelayRate = 0);
        } else if (roll < 65) {
            victim.diskLatencyNs = (2 + random.nextInt(30)) * MS;
            after(100 + random.nextInt(800), () -> victim.diskLatencyNs = 0);
        } else if (roll < 75) {
            clockJump();
        } else if (roll < 85) {
            final SimMember leader = leader();
            final int target = 1 + random.nextInt(options.members);
            if (leader != null && target != leader.id) {
                final long result = leader.node.transferLeadership(target);
                note("transfer from " + leader.id + " -> " + result);
            }
        } else if (options.membershipChanges) {
            changeMembership();
        }
    }

    /**
     * Jumps a clock forward. With lease reads on, only the leader's clock jumps: a forward jump shortens its lease,
     * which is safe; a follower's clock jumping forward breaks the drift assumption the lease rests on (stated in
     * {@link RaftContext#maxClockDriftRatio(double)}), so lease runs leave followers' clocks to drift only.
     */
    private void clockJump() {
        final SimMember leader = leader();
        final SimMember target = options.leaseReads ? leader : members[1 + random.nextInt(options.members)];
        if (target != null) {
            target.clockOffsetNs += (10 + random.nextInt(1_000)) * MS;
            note("clock jump " + target.id);
        }
    }

    private void changeMembership() {
        final SimMember leader = leader();
        if (leader == null) {
            return;
        }
        final RaftNode node = leader.node;
        if (removedMember == -1) {
            final Configuration configuration = node.configuration();
            if (configuration.voterCount() <= (random.nextInt(5) == 0 ? 1 : 2)) {
                return;
            }
            final int victim = configuration.voter(random.nextInt(configuration.voterCount()));
            final long index = node.removeMember(victim);
            if (index > 0) {
                removedMember = victim;
                removalIndex = index;
                removalTerm = node.term();
                note("remove " + victim + " via " + leader.id);
            }
            return;
        }
        final int id = removedMember;
        final long committedTerm = invariants.committedTerm(removalIndex);
        if (committedTerm != -1 && committedTerm != removalTerm) {
            removedMember = -1;
            note("removal of " + id + " was lost with its leader");
            return;
        }
        // Only once the configuration without it is committed may the member's storage be thrown away; before
        // that it may still be needed for a quorum of the old configuration.
        if (committedTerm == -1 || node.configuration().contains(id)) {
            return;
        }
        // Add a server with empty storage, as a new one would join: learner first, promoted once caught up. Half
        // the time it is the removed server wiped and reused, half the time a server with a new id (the removed
        // one is retired for good).
        final boolean freshId = random.nextBoolean() && highestId + 1 < SimNetwork.MAX_MEMBERS;
        final SimMember member;
        if (freshId) {
            final SimMember retired = members[id];
            if (retired.alive) {
                crash(retired);
            }
            retired.retired = true;
            member = new SimMember(highestId + 1);
            member.clockRate = 1.0 + (random.nextDouble() - 0.5) * 0.1;
            members[member.id] = member;
        } else {
            member = members[id];
            if (member.alive) {
                crash(member);
            }
        }
        final int joiner = member.id;
        member.log = new CheckedLog(joiner, invariants, this::crashInForce);
        member.founding = false;
        start(member, new int[0]);
        removedMember = joiner;
        if (node.addLearner(joiner) > 0) {
            note("add learner " + joiner + " via " + leader.id);
            after(100, () -> promoteWhenCaughtUp(joiner, 40));
        }
    }

    private void promoteWhenCaughtUp(final int id, final int attempts) {
        final SimMember leader = leader();
        if (leader != null && leader.node.configuration().isLearner(id)) {
            final long match = leader.node.matchIndexOf(id);
            if (match >= leader.node.commitIndex() - 5 && leader.node.promote(id) > 0) {
                removedMember = -1;
                note("promote " + id + " via " + leader.id);
                return;
            }
        } else if (leader != null && leader.node.configuration().isVoter(id)) {
            removedMember = -1;
            return;
        }
        if (attempts > 0) {
            after(50, () -> promoteWhenCaughtUp(id, attempts - 1));
        } else if (leader != null && !leader.node.configuration().contains(id)) {
            removedMember = id;
        }
    }

    private SimMember leader() {
        SimMember best = null;
        for (final SimMember member : members) {
            if (member != null && member.alive && member.node.role() == RaftNode.ROLE_LEADER
                && (best == null || member.node.term() > best.node.term())) {
                best = member;
            }
        }
        return best;
    }

    private void healNetwork() {
        if (!healing) {
            network.heal();
        }
    }

    /** End of the fault phase: a clean network, every member up, and any removed member added back. */
    private void heal() {
        healing = true;
        network.heal();
        network.dropRate = 0;
        network.duplicateRate = 0;
        network.longDelayRate = 0;
        for (final SimMember member : members) {
            if (member != null) {
                member.diskLatencyNs = 0;
                member.log.crashAtNextForce = false;
                if (!member.alive && (removedMember != member.id)) {
                    restart(member);
                }
            }
        }
        note("heal");
    }

    /**
     * After the heal phase there must be one leader, and every member of its configuration must have applied
     * exactly what it committed, with identical registers.
     */
    private void checkConverged() {
        final String failure = convergenceFailure();
        if (failure != null) {
            invariants.fail(failure + ":\n" + describeMembers());
        }
    }

    private String convergenceFailure() {
        final SimMember leader = leader();
        if (leader == null) {
            return "no leader after the heal phase";
        }
        final RaftNode node = leader.node;
        final Configuration configuration = node.configuration();
        if (node.commitIndex() < node.log().lastIndex()) {
            return "leader " + leader.id + " has uncommitted entries";
        }
        for (final SimMember member : members) {
            if (member == null || !configuration.contains(member.id)) {
                continue;
            }
            if (!member.alive || member.node.lastApplied() != node.commitIndex()
                || !member.stateMachine.values().equals(leader.stateMachine.values())) {
                return "member " + member.id + " did not converge with leader " + leader.id;
            }
        }
        return null;
    }

    String describeMembers() {
        final StringBuilder out = new StringBuilder();
        for (final SimMember member : members) {
            if (member != null) {
                out.append("  ").append(member.alive ? member.node : "member " + member.id + " down").append(' ')
                    .append(member.alive ? member.node.configuration() : "");
                if (member.alive) {
                    member.node.appendReplicationTo(out);
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
