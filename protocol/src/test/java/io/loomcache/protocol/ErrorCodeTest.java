package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
    /** The published numbering; a failure here means a code was renumbered, which must never happen. */
    private static final String[] PUBLISHED = {
        "NONE", "UNKNOWN_OPCODE", "UNSUPPORTED_VERSION", "MALFORMED_FRAME", "FRAME_TOO_LONG", "BODY_TOO_SHORT",
        "KEY_TOO_LONG", "VALUE_TOO_LONG", "NOT_AUTHENTICATED", "AUTHENTICATION_FAILED", "PERMISSION_DENIED",
        "TOO_MANY_CONNECTIONS", "SERVER_BUSY", "NOT_LEADER", "WRONG_PARTITION", "TIMEOUT", "INTERNAL_ERROR",
        "STORE_FULL", "UNSUPPORTED_OPERATION", "INVALID_ARGUMENT", "UNEXPECTED_OPCODE", "WRONG_TYPE", "NO_QUORUM",
        "SHUTTING_DOWN", "OUTCOME_UNKNOWN", "NOT_AN_INTEGER", "INTEGER_OVERFLOW", "NOT_A_FLOAT", "NAN_OR_INFINITY",
    };

    @Test
    void shouldKeepThePublishedNumbering() throws ReflectiveOperationException {
        for (int code = 0; code < PUBLISHED.length; code++) {
            assertEquals(code, ErrorCode.class.getField(PUBLISHED[code]).getInt(null), PUBLISHED[code]);
            assertEquals(PUBLISHED[code], ErrorCode.name(code));
        }
        assertEquals(PUBLISHED.length - 1, ErrorCode.MAX_CODE);
    }

    @Test
    void shouldNameAndDescribeEveryConstantUniquely() throws IllegalAccessException {
        final Set<Integer> codes = new HashSet<>();
        for (final Field field : ErrorCode.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getName().equals("MAX_CODE")) {
                continue;
            }
            final int code = field.getInt(null);
            assertTrue(codes.add(code), "duplicate code " + code);
            assertTrue(ErrorCode.isDefined(code));
            assertEquals(field.getName(), ErrorCode.name(code));
            final String description = ErrorCode.description(code);
            assertFalse(description.isEmpty());
            final DirectBuffer bytes = ErrorCode.descriptionBytes(code);
            assertEquals(description, bytes.getStringWithoutLengthAscii(0, bytes.capacity()));
        }
        assertEquals(ErrorCode.MAX_CODE + 1, codes.size());
    }

    @Test
    void shouldReportUndefinedForCodesOutsideTheTable() {
        assertFalse(ErrorCode.isDefined(-1));
        assertFalse(ErrorCode.isDefined(ErrorCode.MAX_CODE + 1));
        assertEquals("UNDEFINED", ErrorCode.name(ErrorCode.MAX_CODE + 1));
        assertEquals("UNDEFINED", ErrorCode.description(-5));
        assertEquals(ErrorCode.descriptionBytes(ErrorCode.INTERNAL_ERROR), ErrorCode.descriptionBytes(9999));
    }
}
