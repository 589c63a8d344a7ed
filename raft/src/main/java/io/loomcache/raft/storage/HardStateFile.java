package io.loomcache.raft.storage;

import static io.loomcache.raft.storage.HardStateDescriptor.BYTE_ORDER;
import static io.loomcache.raft.storage.HardStateDescriptor.CRC_OFFSET;
import static io.loomcache.raft.storage.HardStateDescriptor.SEQUENCE_OFFSET;
import static io.loomcache.raft.storage.HardStateDescriptor.SLOT_COUNT;
import static io.loomcache.raft.storage.HardStateDescriptor.SLOT_LENGTH;
import static io.loomcache.raft.storage.HardStateDescriptor.TERM_OFFSET;
import static io.loomcache.raft.storage.HardStateDescriptor.VOTED_FOR_OFFSET;
import static io.loomcache.raft.storage.HardStateDescriptor.slotOffset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.Syncer;

/**
 * The current term and vote of one member, in the two-slot file laid out by {@link HardStateDescriptor}: each
 * write goes to the older slot and is forced before it counts, so a torn write leaves the previous value readable.
 * Allocation-free after open. Owned by the log's thread.
 */
final class HardStateFile implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final Syncer syncer;
    private final ByteBuffer slotBytes = ByteBuffer.allocateDirect(SLOT_LENGTH);
    private final UnsafeBuffer slot = new UnsafeBuffer(slotBytes);
    private final CRC32C crc = new CRC32C();
    private long sequence;
    private long term;
    private int votedFor = RaftLog.NO_VOTE;

    private HardStateFile(final Path file, final FileChannel channel, final Syncer syncer) {
        this.file = file;
        this.channel = channel;
        this.syncer = syncer;
    }

    /**
     * Opens the file, creating it (and forcing it and its directory) when missing, and reads the newest valid slot.
     *
     * @param file the hard-state file.
     * @param syncer forces the file and its directory.
     * @return the open file.
     * @throws IOException when the file cannot be created, read or forced.
     */
    static HardStateFile open(final Path file, final Syncer syncer) throws IOException {
        final boolean created = !Files.exists(file);
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        final HardStateFile hardState = new HardStateFile(file, channel, syncer);
        try {
            if (created) {
                syncer.forceChannel(channel, file);
                final Path directory = file.toAbsolutePath().getParent();
                try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
                    syncer.forceChannel(directoryChannel, directory);
                }
            }
            for (int i = 0; i < SLOT_COUNT; i++) {
                hardState.readSlot(i);
            }
        } catch (final IOException | RuntimeException ex) {
            hardState.close();
            throw ex;
        }
        return hardState;
    }

    long term() {
        return term;
    }

    int votedFor() {
        return votedFor;
    }

    /**
     * Writes the next sequence into the older slot and forces the file; only then is the new value current.
     *
     * @throws IOException when the write or the force fails; the value in memory is then unchanged.
     */
    void write(final long newTerm, final int newVotedFor) throws IOException {
        final long nextSequence = sequence + 1;
        slot.putLong(SEQUENCE_OFFSET, nextSequence, BYTE_ORDER);
        slot.putLong(TERM_OFFSET, newTerm, BYTE_ORDER);
        slot.putInt(VOTED_FOR_OFFSET, newVotedFor, BYTE_ORDER);
        slot.putInt(CRC_OFFSET, crcOfSlot(), BYTE_ORDER);
        slotBytes.clear();
        long position = slotOffset((int)(nextSequence & 1));
        while (slotBytes.hasRemaining()) {
            position += channel.write(slotBytes, position);
        }
        syncer.forceChannel(channel, file);
        sequence = nextSequence;
        term = newTerm;
        votedFor = newVotedFor;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void readSlot(final int index) throws IOException {
        slot.setMemory(0, SLOT_LENGTH, (byte)0);
        slotBytes.clear();
        long position = slotOffset(index);
        while (slotBytes.hasRemaining()) {
            final int read = channel.read(slotBytes, position);
            if (read < 0) {
                return;
            }
            position += read;
        }
        final long slotSequence = slot.getLong(SEQUENCE_OFFSET, BYTE_ORDER);
        if (slotSequence > sequence && slot.getInt(CRC_OFFSET, BYTE_ORDER) == crcOfSlot()) {
            sequence = slotSequence;
            term = slot.getLong(TERM_OFFSET, BYTE_ORDER);
            votedFor = slot.getInt(VOTED_FOR_OFFSET, BYTE_ORDER);
        }
    }

    private int crcOfSlot() {
        crc.reset();
        slotBytes.clear().limit(CRC_OFFSET);
        crc.update(slotBytes);
        slotBytes.clear();
        return (int)crc.getValue();
    }
}
