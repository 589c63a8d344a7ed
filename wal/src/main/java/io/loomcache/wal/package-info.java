/**
 * Write-ahead log: memory-mapped segment files of CRC32C-checked records ({@link io.loomcache.wal.RecordDescriptor}),
 * appended by claim/commit without allocation, forced by an {@link io.loomcache.wal.FsyncPolicy} with group commit,
 * replayed from any index, repaired at a torn tail on open, and compacted with snapshots.
 * <p>
 * Files in the log directory: {@code <first index, 20 digits>.dat} segments, {@code <last included index>.snapshot}
 * snapshots, and {@code *.tmp} leftovers of interrupted creation that open deletes. Segments are preallocated
 * (posix_fallocate, else zeros) before they are mapped, so a full disk is an IOException and never a SIGBUS, and
 * mapped with FFM ({@code FileChannel.map(..., Arena.ofShared())}) so that close unmaps deterministically without
 * internal JDK APIs; an Agrona {@code UnsafeBuffer} over the mapped address is the view codecs see.
 */
package io.loomcache.wal;
