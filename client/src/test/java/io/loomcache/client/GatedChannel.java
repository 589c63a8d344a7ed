package io.loomcache.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real socket channel whose writes can be held at a gate, recording how many bytes each write call carried.
 */
final class GatedChannel implements ByteChannel {
    private final ByteChannel delegate;
    private final List<Integer> writeLengths = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate;
    private final CountDownLatch blocked = new CountDownLatch(1);

    GatedChannel(final ByteChannel delegate) {
        this.delegate = delegate;
    }

    void closeGate() {
        gate = new CountDownLatch(1);
    }

    void openGate() {
        gate.countDown();
    }

    boolean awaitWriterBlocked() throws InterruptedException {
        return blocked.await(10, TimeUnit.SECONDS);
    }

    List<Integer> writeLengths() {
        return writeLengths;
    }

    @Override
    public int write(final ByteBuffer source) throws IOException {
        writeLengths.add(source.remaining());
        final CountDownLatch current = gate;
        if (current != null) {
            blocked.countDown();
            try {
                if (!current.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException(ex);
            }
            gate = null;
        }
        return delegate.write(source);
    }

    @Override
    public int read(final ByteBuffer destination) throws IOException {
        return delegate.read(destination);
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
