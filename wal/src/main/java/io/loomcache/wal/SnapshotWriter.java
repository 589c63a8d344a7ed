package io.loomcache.wal;

import java.io.IOException;

/**
 * Produces the body of a snapshot, called once by {@link WriteAheadLog#writeSnapshot} on the calling thread.
 */
@FunctionalInterface
public interface SnapshotWriter {
    /**
     * Writes the whole snapshot body to {@code output}.
     *
     * @param output where the body goes; valid only during this call.
     * @throws IOException to abandon the snapshot; no file is left behind.
     */
    void write(SnapshotOutput output) throws IOException;
}
