package io.loomcache.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;

import io.loomcache.raft.storage.InMemoryRaftLog;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Many groups per process: three "executors" (one {@link RaftGroups} per member process) each hold one member of
 * every group; frames are routed by the group id they carry, and one duty cycle drives all groups.
 */
class RaftGroupsTest {
    private static final int GROUPS = 40;
    private static final int MEMBERS = 3;

    private final ArrayDeque<byte[]> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Integer> destinations = new ArrayDeque<>();
    private long nowNs = 1_000_000_000L;

    @Test
    void shouldElectALeaderAndCommitInEveryGroupDrivenByOneDutyCyclePerProcess() {
        final RaftGroups[] processes = new RaftGroups[MEMBERS + 1];
        final ManualGroup.CounterStateMachine[][] machines = new ManualGroup.CounterStateMachine[MEMBERS + 1][GROUPS];
        for (int member = 1; member <= MEMBERS; member++) {
            processes[member] = new RaftGroups();
            for (int group = 0; group < GROUPS; group++) {
                machines[member][group] = new ManualGroup.CounterStateMachine();
                processes[member].add(new RaftNode(
                    new RaftContext().groupId(group).memberId(member).initialVoters(1, 2, 3)
                        .randomSeed(group * 31L + member),
                    () -> nowNs, this::send, new InMemoryRaftLog(), machines[member][group], new NoopListener()));
            }
        }
        assertEquals(GROUPS, processes[1].size());
        assertThrows(IllegalArgumentException.class, () -> processes[1].add(processes[2].group(0)));

        run(processes, 2_000);
        final ExpandableDirectByteBuffer command = new ExpandableDirectByteBuffer(8);
        for (int group = 0; group < GROUPS; group++) {
            final RaftNode leader = leaderOf(processes, group);
            assertNotNull(leader, "group " + group + " elected a leader");
            command.putLong(0, 1000 + group);
            assertTrue(leader.propose(command, 0, Long.BYTES) > 0);
        }
        run(processes, 200);
        for (int member = 1; member <= MEMBERS; member++) {
            for (int group = 0; group < GROUPS; group++) {
                assertEquals(1000 + group, machines[member][group].last, "member " + member + " group " + group);
            }
        }
        processes[1].onMessage(new UnsafeBuffer(new byte[8]), 0, 8);
        assertEquals(1, processes[1].unknownGroupFrames(), "a frame too short to name a group is counted");
    }

    private boolean send(final int peer, final DirectBuffer buffer, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        inFlight.add(bytes);
        destinations.add(peer);
        return true;
    }

    private void run(final RaftGroups[] processes, final int ms) {
        for (int i = 0; i < ms; i++) {
            nowNs += 1_000_000L;
            for (int member = 1; member <= MEMBERS; member++) {
                processes[member].doWork(nowNs);
            }
            while (!inFlight.isEmpty()) {
                final byte[] bytes = inFlight.poll();
                processes[destinations.poll()].onMessage(new UnsafeBuffer(bytes), 0, bytes.length);
            }
        }
    }

    private static RaftNode leaderOf(final RaftGroups[] processes, final int group) {
        for (int member = 1; member <= MEMBERS; member++) {
            final RaftNode node = processes[member].group(group);
            if (node.role() == RaftNode.ROLE_LEADER) {
                return node;
            }
        }
        return null;
    }

    /** Ignores callbacks. */
    private static final class NoopListener implements RaftListener {
        @Override
        public void onReadReady(final long correlationId, final long readIndex) {
            // No reads in this test.
        }

        @Override
        public void onReadRejected(final long correlationId) {
            // No reads in this test.
        }

        @Override
        public void onRoleChange(final int role, final long term, final int leaderId) {
            // Roles are read from the nodes.
        }
    }
}
