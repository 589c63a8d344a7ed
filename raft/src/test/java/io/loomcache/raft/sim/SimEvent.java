package io.loomcache.raft.sim;

/**
 * One scheduled event of the simulation, ordered by time then by scheduling order (deterministic ties).
 */
final class SimEvent implements Comparable<SimEvent> {
    static final int TICK = 1;
    static final int DELIVER = 2;
    static final int CLIENT = 3;
    static final int CLIENT_TIMEOUT = 4;
    static final int FAULT = 5;
    static final int ACTION = 6;

    final long timeNs;
    final long seq;
    final int kind;
    final int a;
    final int b;
    final long c;
    final byte[] bytes;
    final Runnable action;

    SimEvent(final long timeNs, final long seq, final int kind, final int a, final int b, final long c,
        final byte[] bytes, final Runnable action) {
        this.timeNs = timeNs;
        this.seq = seq;
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.c = c;
        this.bytes = bytes;
        this.action = action;
    }

    @Override
    public int compareTo(final SimEvent other) {
        final int byTime = Long.compare(timeNs, other.timeNs);
        return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
}
