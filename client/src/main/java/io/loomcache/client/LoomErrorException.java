package io.loomcache.client;

import io.loomcache.protocol.ErrorCode;

/**
 * A request failed with a stable {@link ErrorCode}: the server answered RESPONSE_ERROR, or the client refused to
 * send a request the server would reject (a key longer than {@code maxKeyLength}, say). The message reads
 * {@code "NAME: text"}, for example {@code "KEY_TOO_LONG: key is longer than the maximum key length"}.
 */
public class LoomErrorException extends LoomException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final String detail;

    /**
     * Creates the exception for an error code and its text.
     *
     * @param errorCode the {@link ErrorCode}, possibly one newer than this client knows.
     * @param detail the server's message, or the code's description when empty.
     */
    public LoomErrorException(final int errorCode, final String detail) {
        super(ErrorCode.name(errorCode) + ": " + textOf(errorCode, detail));
        this.errorCode = errorCode;
        this.detail = textOf(errorCode, detail);
    }

    private static String textOf(final int errorCode, final String detail) {
        return detail == null || detail.isEmpty() ? ErrorCode.description(errorCode) : detail;
    }

    /**
     * The stable error code.
     *
     * @return an {@link ErrorCode} constant (or a newer code, named "UNDEFINED" here).
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * The text after the code's name.
     *
     * @return the server's message, or the code's standard description.
     */
    public String detail() {
        return detail;
    }
}
