package io.loomcache.raft.sim;

/**
 * What one simulated run does, all derived from its seed unless a test overrides a field.
 */
final class SimOptions {
    int members = 3;
    int clients = 4;
    int keys = 3;
    long faultPhaseMs = 4_000;
    long healPhaseMs = 4_000;
    boolean faults = true;
    boolean membershipChanges = true;
    boolean leaseReads = true;
    boolean preVote = true;
    double leaseReadShare = 0.5;
    long snapshotEveryEntries = 100;
    int snapshotChunkBytes = 256;
    int maxAppendBytes = 4096;
    int stateMachineBug = RegisterStateMachine.BUG_NONE;
    boolean staleReadBug;
    long clientTimeoutMs = 1_000;
    double baseDropRate = 0.01;
    double duplicateRate = 0.02;
    long minDelayUs = 100;
    long maxDelayUs = 3_000;

    /**
     * Options a seed chooses: 3 or 5 members, lease reads on or off, snapshot cadence and chunk size.
     */
    static SimOptions fromSeed(final long seed) {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
        final SimOptions options = new SimOptions();
        options.members = random.nextInt(4) == 0 ? 5 : 3;
        options.clients = 2 + random.nextInt(4);
        options.leaseReads = random.nextBoolean();
        options.preVote = random.nextInt(4) != 0;
        options.snapshotEveryEntries = 20 + random.nextInt(300);
        options.snapshotChunkBytes = 64 + random.nextInt(512);
        options.maxAppendBytes = 1024 + random.nextInt(8192);
        options.baseDropRate = random.nextDouble() * 0.05;
        options.duplicateRate = random.nextDouble() * 0.05;
        options.maxDelayUs = 500 + random.nextInt(10_000);
        return options;
    }

    @Override
    public String toString() {
        return "members=" + members + " clients=" + clients + " lease=" + leaseReads + " preVote=" + preVote
            + " snapshotEvery="
            + snapshotEveryEntries + " chunk=" + snapshotChunkBytes + " maxAppend=" + maxAppendBytes + " drop="
            + String.format("%.3f", baseDropRate) + " dup=" + String.format("%.3f", duplicateRate) + " delay<="
            + maxDelayUs + "us faults=" + faults + " membership=" + membershipChanges;
    }
}
