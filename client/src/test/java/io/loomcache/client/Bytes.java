package io.loomcache.client;

import java.nio.charset.StandardCharsets;

/** Test shorthand for UTF-8 bytes. */
public final class Bytes {
    private Bytes() {
    }

    public static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(final byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
