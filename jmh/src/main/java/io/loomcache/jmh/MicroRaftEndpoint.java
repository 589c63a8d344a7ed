package io.loomcache.jmh;

import io.microraft.RaftEndpoint;

/**
 * A MicroRaft member address in the in-memory group: just the member id.
 *
 * @param memberId the member id, from 0.
 */
record MicroRaftEndpoint(int memberId) implements RaftEndpoint {
    @Override
    public Object getId() {
        return memberId;
    }
}
