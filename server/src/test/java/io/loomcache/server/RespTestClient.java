package io.loomcache.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw RESP client for tests: writes commands as multibulk (or any bytes) on a real socket and reads replies back as
 * Java values: simple strings as {@code "+OK"}-less strings, errors as {@link Error}, integers as Long, bulk strings
 * as String (UTF-8), nulls as null, arrays and sets as List, maps as Map. Closed by the test.
 */
final class RespTestClient implements AutoCloseable {
    /** An error reply. */
    record Error(String text) {
    }

    /** A RESP3 push ({@code >}): pub/sub messages and confirmations, told apart from an array. */
    record Push(List<Object> items) {
    }

    /** A RESP3 null, distinct from RESP2's null bulk only on the wire; both read as null. */
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespTestClient(final int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    static byte[] encode(final String... args) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final byte[] header = ("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        bytes.writeBytes(header);
        for (final String arg : args) {
            final byte[] data = arg.getBytes(StandardCharsets.UTF_8);
            bytes.writeBytes(("$" + data.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            bytes.writeBytes(data);
            bytes.writeBytes(new byte[] {'\r', '\n'});
        }
        return bytes.toByteArray();
    }

    Object call(final String... args) throws IOException {
        send(encode(args));
        return read();
    }

    void send(final byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Object read() throws IOException {
        final int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed by the server");
        }
        final String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                final int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                final byte[] data = in.readNBytes(length);
                in.readNBytes(2);
                yield new String(data, StandardCharsets.UTF_8);
            }
            case '*', '~' -> {
                final int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                final List<Object> list = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    list.add(read());
                }
                yield list;
            }
            case '>' -> {
                final int count = Integer.parseInt(line);
                final List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                yield new Push(items);
            }
            case '%' -> {
                final int count = Integer.parseInt(line);
                final Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    map.put(read(), read());
                }
                yield map;
            }
            case '_' -> null;
            default -> throw new IOException("unexpected reply type '" + (char)type + "' " + line);
        };
    }

    /** @return whether the server closed the connection (EOF) within the socket timeout. */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        final StringBuilder text = new StringBuilder();
        while (true) {
            final int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in a reply line: " + text);
            }
            if (b == '\r') {
                in.read();
                return text.toString();
            }
            text.append((char)b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
