package io.loomcache.protocol;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Stable error codes carried by {@link Opcodes#RESPONSE_ERROR} and returned (negated) by decoders.
 * The numbers are part of the wire format and documented for users: they must never be renumbered or reused;
 * new codes are appended at the end. Code 0 ({@link #NONE}) means success and never travels in an error response.
 */
public final class ErrorCode {
    /** Success: no error. */
    public static final int NONE = 0;
    /** The opcode is not registered in the {@link CommandTable}, or not one this decoder handles. */
    public static final int UNKNOWN_OPCODE = 1;
    /** The frame's protocol version is not spoken here, or HELLO found no common version. */
    public static final int UNSUPPORTED_VERSION = 2;
    /** The frame breaks the layout: negative length, a field or length running past the body, reserved bits set. */
    public static final int MALFORMED_FRAME = 3;
    /** The header announces a frame longer than {@code maxFrameLength} (or one that overflows an int). */
    public static final int FRAME_TOO_LONG = 4;
    /** The body is shorter than the command table's minimum for the opcode. */
    public static final int BODY_TOO_SHORT = 5;
    /** A key is longer than {@code maxKeyLength}. */
    public static final int KEY_TOO_LONG = 6;
    /** A value (or expected value) is longer than {@code maxValueLength}. */
    public static final int VALUE_TOO_LONG = 7;
    /** The connection must authenticate (AUTH) before sending this opcode. */
    public static final int NOT_AUTHENTICATED = 8;
    /** AUTH was rejected: unknown principal or wrong credentials. */
    public static final int AUTHENTICATION_FAILED = 9;
    /** The principal may not run this opcode (e.g. an ADMIN or PEER command). */
    public static final int PERMISSION_DENIED = 10;
    /** The server refused the connection: connection limit reached. */
    public static final int TOO_MANY_CONNECTIONS = 11;
    /** The server is above its high watermark; retry later. */
    public static final int SERVER_BUSY = 12;
    /** This node does not lead the Raft group; see RESPONSE_REDIRECT for the leader. */
    public static final int NOT_LEADER = 13;
    /** This node does not own the key's partition (moved or migrating); refresh the partition table. */
    public static final int WRONG_PARTITION = 14;
    /** The operation did not complete in time; it may or may not have taken effect. */
    public static final int TIMEOUT = 15;
    /** An unexpected server-side failure; the request may or may not have taken effect. */
    public static final int INTERNAL_ERROR = 16;
    /** The off-heap store reached its memory cap and eviction could not make room. */
    public static final int STORE_FULL = 17;
    /** The opcode is registered but not implemented by this server (placeholders). */
    public static final int UNSUPPORTED_OPERATION = 18;
    /** A field holds a value outside its range (negative TTL, empty version range, name too long). */
    public static final int INVALID_ARGUMENT = 19;
    /** The opcode is not valid here: a response sent as a request, HELLO twice, a request before HELLO. */
    public static final int UNEXPECTED_OPCODE = 20;
    /** The structure id names a structure of another type (a queue id used with a map opcode). */
    public static final int WRONG_TYPE = 21;
    /** A replicated operation could not reach a quorum. */
    public static final int NO_QUORUM = 22;
    /** The server is shutting down and accepts no new work. */
    public static final int SHUTTING_DOWN = 23;
    /**
     * A replicated write was proposed but leadership was lost before it committed: it may or may not take effect.
     * Not safe to retry blindly (a compare-and-set may have succeeded).
     */
    public static final int OUTCOME_UNKNOWN = 24;
    /**
     * MAP_INCREMENT found a value that is not a base-10 int64 as Redis reads one (optional '-', no '+', no leading
     * zero, no "-0", no spaces, at most 20 characters, in range).
     */
    public static final int NOT_AN_INTEGER = 25;
    /** MAP_INCREMENT would take the value outside the int64 range. */
    public static final int INTEGER_OVERFLOW = 26;
    /** MAP_INCREMENT_FLOAT found an increment or a value that is not a decimal number as Redis reads one. */
    public static final int NOT_A_FLOAT = 27;
    /** MAP_INCREMENT_FLOAT would produce an infinite or undefined value. */
    public static final int NAN_OR_INFINITY = 28;

    /** The highest code defined; codes 0..MAX_CODE are all defined. */
    public static final int MAX_CODE = NAN_OR_INFINITY;

    private static final String UNDEFINED = "UNDEFINED";
    private static final String[] NAMES = new String[MAX_CODE + 1];
    private static final String[] DESCRIPTIONS = new String[MAX_CODE + 1];
    private static final UnsafeBuffer[] DESCRIPTION_BYTES = new UnsafeBuffer[MAX_CODE + 1];

    static {
        define(NONE, "NONE", "no error");
        define(UNKNOWN_OPCODE, "UNKNOWN_OPCODE", "opcode is not known");
        define(UNSUPPORTED_VERSION, "UNSUPPORTED_VERSION", "protocol version is not supported");
        define(MALFORMED_FRAME, "MALFORMED_FRAME", "frame does not follow the wire layout");
        define(FRAME_TOO_LONG, "FRAME_TOO_LONG", "frame is longer than the maximum frame length");
        define(BODY_TOO_SHORT, "BODY_TOO_SHORT", "body is shorter than the opcode's minimum");
        define(KEY_TOO_LONG, "KEY_TOO_LONG", "key is longer than the maximum key length");
        define(VALUE_TOO_LONG, "VALUE_TOO_LONG", "value is longer than the maximum value length");
        define(NOT_AUTHENTICATED, "NOT_AUTHENTICATED", "authenticate before sending this request");
        define(AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED", "authentication failed");
        define(PERMISSION_DENIED, "PERMISSION_DENIED", "permission denied");
        define(TOO_MANY_CONNECTIONS, "TOO_MANY_CONNECTIONS", "too many connections");
        define(SERVER_BUSY, "SERVER_BUSY", "server is busy, retry later");
        define(NOT_LEADER, "NOT_LEADER", "this node is not the leader");
        define(WRONG_PARTITION, "WRONG_PARTITION", "this node does not own the partition");
        define(TIMEOUT, "TIMEOUT", "operation timed out, outcome unknown");
        define(INTERNAL_ERROR, "INTERNAL_ERROR", "internal server error, outcome unknown");
        define(STORE_FULL, "STORE_FULL", "store is full");
        define(UNSUPPORTED_OPERATION, "UNSUPPORTED_OPERATION", "operation is not supported by this server");
        define(INVALID_ARGUMENT, "INVALID_ARGUMENT", "a field is out of range");
        define(UNEXPECTED_OPCODE, "UNEXPECTED_OPCODE", "opcode is not valid in this state or direction");
        define(WRONG_TYPE, "WRONG_TYPE", "structure is of another type");
        define(NO_QUORUM, "NO_QUORUM", "no quorum");
        define(SHUTTING_DOWN, "SHUTTING_DOWN", "server is shutting down");
        define(OUTCOME_UNKNOWN, "OUTCOME_UNKNOWN", "leadership was lost after the write was proposed; it may or may "
            + "not take effect");
        define(NOT_AN_INTEGER, "NOT_AN_INTEGER", "value is not an integer or out of range");
        define(INTEGER_OVERFLOW, "INTEGER_OVERFLOW", "increment or decrement would overflow");
        define(NOT_A_FLOAT, "NOT_A_FLOAT", "value is not a valid float");
        define(NAN_OR_INFINITY, "NAN_OR_INFINITY", "increment would produce NaN or Infinity");
    }

    private ErrorCode() {
    }

    private static void define(final int code, final String name, final String description) {
        NAMES[code] = name;
        DESCRIPTIONS[code] = description;
        DESCRIPTION_BYTES[code] = new UnsafeBuffer(description.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Tells whether a code is defined in this version.
     *
     * @param code the error code.
     * @return true for 0..{@link #MAX_CODE}.
     */
    public static boolean isDefined(final int code) {
        return code >= 0 && code <= MAX_CODE;
    }

    /**
     * Names a code for logs and tools; allocation-free.
     *
     * @param code the error code.
     * @return the constant's name, or "UNDEFINED" for a code not defined in this version.
     */
    public static String name(final int code) {
        return isDefined(code) ? NAMES[code] : UNDEFINED;
    }

    /**
     * Describes a code in one line; allocation-free.
     *
     * @param code the error code.
     * @return the description, or "UNDEFINED" for a code not defined in this version.
     */
    public static String description(final int code) {
        return isDefined(code) ? DESCRIPTIONS[code] : UNDEFINED;
    }

    /**
     * The description as pre-encoded ASCII bytes, for error responses without allocation. Shared: never write it.
     *
     * @param code the error code.
     * @return the description bytes, or those of {@link #INTERNAL_ERROR} for an undefined code.
     */
    public static DirectBuffer descriptionBytes(final int code) {
        return isDefined(code) ? DESCRIPTION_BYTES[code] : DESCRIPTION_BYTES[INTERNAL_ERROR];
    }
}
