package io.loomcache.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.HelloEncoder;
import io.loomcache.protocol.HelloResponseDescriptor;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;

/** A blocking test client speaking the protocol with the protocol module's encoders over a plain socket. */
final class RawClient implements AutoCloseable {
    static final int TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MapRequestEncoder encoder = new MapRequestEncoder(ProtocolLimits.DEFAULTS);
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final ResponseDecoder decoder = new ResponseDecoder(ProtocolLimits.DEFAULTS);

    RawClient(final int port) throws IOException {
        this(port, null);
    }

    RawClient(final int port, final String localAddress) throws IOException {
        this(port, localAddress, "127.0.0.1");
    }

    /** Connects from localAddress (null = any) to a loopback serverAddress such as "::1". */
    RawClient(final int port, final String localAddress, final String serverAddress) throws IOException {
        this(port, localAddress, serverAddress, 0);
    }

    /**
     * Connects with a fixed receive buffer (0 = the kernel's autotuned one). A fixed one is set before connecting,
     * so the window the client announces is bounded from the handshake on and autotuning is off for the socket.
     */
    RawClient(final int port, final String localAddress, final String serverAddress, final int receiveBufferBytes)
        throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress(InetAddress.getByName(serverAddress), port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    /** A decoded response. */
    record Response(int opcode, long correlationId, int errorCode, String text, boolean bool, long number,
        byte[] value) {
        String valueAsString() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    byte[] frame(final int opcode, final long correlationId, final long argument, final byte[] key,
        final byte[] expected, final byte[] value) {
        final UnsafeBuffer k = new UnsafeBuffer(key == null ? new byte[0] : key);
        final UnsafeBuffer e = new UnsafeBuffer(expected == null ? new byte[0] : expected);
        final UnsafeBuffer v = new UnsafeBuffer(value == null ? new byte[0] : value);
        buffer.checkLimit((int)MapRequestDescriptor.frameLength(opcode, k.capacity(), e.capacity(), v.capacity()));
        encoder.wrap(buffer, 0).request(opcode, correlationId, 0);
        final int length = encoder.argumentIfCarried(argument)
            .carriedFields(k, 0, k.capacity(), e, 0, e.capacity(), v, 0, v.capacity());
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    byte[] hello(final long correlationId) {
        final UnsafeBuffer name = new UnsafeBuffer(bytes("raw-test"));
        final int length = new HelloEncoder().wrap(buffer, 0).correlationId(correlationId).minVersion(1).maxVersion(1)
            .clientName(name, 0, name.capacity());
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    static byte[] header(final int bodyLength, final int version, final int flags, final int opcode,
        final long correlationId) {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[FrameHeaderDescriptor.HEADER_LENGTH]);
        header.putInt(FrameHeaderDescriptor.BODY_LENGTH_OFFSET, bodyLength, FrameHeaderDescriptor.BYTE_ORDER);
        header.putByte(FrameHeaderDescriptor.VERSION_OFFSET, (byte)version);
        header.putByte(FrameHeaderDescriptor.FLAGS_OFFSET, (byte)flags);
        header.putShort(FrameHeaderDescriptor.OPCODE_OFFSET, (short)opcode, FrameHeaderDescriptor.BYTE_ORDER);
        header.putLong(FrameHeaderDescriptor.CORRELATION_ID_OFFSET, correlationId, FrameHeaderDescriptor.BYTE_ORDER);
        return header.byteArray();
    }

    void send(final byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response call(final byte[] frame) throws IOException {
        send(frame);
        return read();
    }

    Response put(final long correlationId, final String key, final String value, final long ttlMs) throws IOException {
        return call(frame(Opcodes.MAP_PUT, correlationId, ttlMs, bytes(key), null, bytes(value)));
    }

    Response get(final long correlationId, final String key) throws IOException {
        return call(frame(Opcodes.MAP_GET, correlationId, 0, bytes(key), null, null));
    }

    Response keyed(final int opcode, final long correlationId, final String key) throws IOException {
        return call(frame(opcode, correlationId, 0, bytes(key), null, null));
    }

    Response read() throws IOException {
        final DataInputStream data = new DataInputStream(in);
        final byte[] header = new byte[FrameHeaderDescriptor.HEADER_LENGTH];
        data.readFully(header);
        final int bodyLength = new UnsafeBuffer(header).getInt(FrameHeaderDescriptor.BODY_LENGTH_OFFSET,
            FrameHeaderDescriptor.BYTE_ORDER);
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(header);
        final byte[] body = new byte[bodyLength];
        data.readFully(body);
        frame.write(body);
        final UnsafeBuffer view = new UnsafeBuffer(frame.toByteArray());
        decoder.wrap(view, 0, view.capacity());
        final int opcode = decoder.opcode();
        if (opcode == Opcodes.HELLO_RESPONSE) {
            return new Response(opcode, decoder.correlationId(), 0, null, false,
                view.getByte(FrameHeaderDescriptor.HEADER_LENGTH + HelloResponseDescriptor.VERSION_OFFSET), null);
        }
        if (!decoder.isValid()) {
            throw new IOException("invalid response frame: " + decoder.appendTo(new StringBuilder()));
        }
        return switch (opcode) {
            case Opcodes.RESPONSE_ERROR -> new Response(opcode, decoder.correlationId(), decoder.errorCode(),
                decoder.errorMessageAsString(), false, 0, null);
            case Opcodes.RESPONSE_BOOLEAN -> new Response(opcode, decoder.correlationId(), 0, null,
                decoder.booleanResult(), 0, null);
            case Opcodes.RESPONSE_LONG -> new Response(opcode, decoder.correlationId(), 0, null, false,
                decoder.longResult(), null);
            case Opcodes.RESPONSE_REDIRECT -> new Response(opcode, decoder.correlationId(), 0,
                decoder.addressAsString(), false, decoder.leaderNodeId(), null);
            case Opcodes.RESPONSE_SERVER_BUSY -> new Response(opcode, decoder.correlationId(), 0, null, false,
                decoder.retryAfterMs(), null);
            case Opcodes.RESPONSE_VALUE -> {
                final byte[] value = new byte[decoder.valueLength()];
                view.getBytes(decoder.valueOffset(), value);
                yield new Response(opcode, decoder.correlationId(), 0, null, false, 0, value);
            }
            default -> new Response(opcode, decoder.correlationId(), 0, null, false, 0, null);
        };
    }

    /** Reads until the server closes the connection; fails if it stays open past the timeout. */
    boolean awaitClosedByServer() throws IOException {
        final byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                continue;
            }
            return true;
        } catch (final SocketTimeoutException ex) {
            return false;
        } catch (final EOFException ex) {
            return true;
        } catch (final IOException ex) {
            return "Connection reset".equals(ex.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
