package io.loomcache.raft;

/**
 * What a leader knows about one other member (Figure 2 "volatile state on leaders", plus the replication mode of
 * the pipelining window). Owned by the group's thread; one per member, allocated on a membership change only.
 */
final class Peer {
    /** Sending one AppendEntries at a time until the follower's log position is known. */
    static final int PROBE = 0;
    /** Streaming AppendEntries optimistically, up to the pipelining window. */
    static final int REPLICATE = 1;
    /** Sending InstallSnapshot chunks, one in flight. */
    static final int SNAPSHOT = 2;

    final int id;
    int state = PROBE;
    long nextIndex;
    long matchIndex;
    /** Last index of each AppendEntries sent in REPLICATE and not yet acknowledged, a ring (pipelining window). */
    private final long[] inflightLast;
    private int inflightHead;
    /** Messages sent in REPLICATE and not yet acknowledged. */
    int inflight;
    /** Whether the single probe (or snapshot chunk) of PROBE/SNAPSHOT is outstanding. */
    boolean awaiting;
    /** The match index at the last heartbeat tick (loss detection in REPLICATE). */
    long matchIndexAtTick;
    long lastSendNs;
    long lastAckNs;
    /** Highest message sequence this member acknowledged in the current term (ReadIndex, §6.4). */
    long ackedSeq;
    /** Send time of the acknowledged message with the highest sequence (lease, §6.4.1). */
    long ackedSentNs = Long.MIN_VALUE;
    long snapshotIndex;
    long snapshotTerm;
    long snapshotOffset;
    long snapshotLength;
    boolean timeoutNowSent;

    Peer(final int id, final int maxInflight) {
        this.id = id;
        this.inflightLast = new long[maxInflight];
    }

    boolean inflightFull() {
        return inflight == inflightLast.length;
    }

    void addInflight(final long lastIndex) {
        inflightLast[(inflightHead + inflight) % inflightLast.length] = lastIndex;
        inflight++;
    }

    /** Frees every in-flight message the acknowledged match index covers. */
    void freeInflightTo(final long acknowledgedIndex) {
        while (inflight > 0 && inflightLast[inflightHead] <= acknowledgedIndex) {
            inflightHead = (inflightHead + 1) % inflightLast.length;
            inflight--;
        }
    }

    void reset(final long nextIndex, final long nowNs) {
        state = PROBE;
        this.nextIndex = nextIndex;
        matchIndex = 0;
        inflight = 0;
        inflightHead = 0;
        awaiting = false;
        matchIndexAtTick = 0;
        lastSendNs = Long.MIN_VALUE / 2;
        lastAckNs = nowNs;
        ackedSeq = 0;
        ackedSentNs = Long.MIN_VALUE;
        timeoutNowSent = false;
    }

    void probe(final long nextIndex) {
        state = PROBE;
        this.nextIndex = Math.max(matchIndex + 1, nextIndex);
        inflight = 0;
        inflightHead = 0;
        awaiting = false;
    }
}
