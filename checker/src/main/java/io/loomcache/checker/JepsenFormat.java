package io.loomcache.checker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads and writes Jepsen register logs: {@code INFO jepsen.util - <process> :<invoke|ok|fail|info>
 * :<read|write|cas> <value>} with a value that is a number, {@code nil} or {@code [from to]}; fields separated by
 * any whitespace. All operations are on key 0. Tools only: this class allocates freely.
 */
final class JepsenFormat {
    private static final String LOG_PREFIX = "INFO  jepsen.util - ";

    private JepsenFormat() {
    }

    static History parse(final Path file) throws IOException {
        final History history = new History();
        final Map<Integer, Integer> pendingOpByProcess = new HashMap<>();
        final Map<Integer, Integer> pendingLineByProcess = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    parseLine(history, line.strip(), pendingOpByProcess, pendingLineByProcess, lineNumber);
                } catch (final IllegalArgumentException ex) {
                    throw new IOException(file + ":" + lineNumber + ": " + ex.getMessage() + ": " + line.strip(), ex);
                }
            }
        }
        return history;
    }

    private static void parseLine(
        final History history,
        final String line,
        final Map<Integer, Integer> pendingOpByProcess,
        final Map<Integer, Integer> pendingLineByProcess,
        final int lineNumber) {
        final String[] tokens = line.split("\\s+");
        int typeIndex = 0;
        while (typeIndex < tokens.length && !tokens[typeIndex].startsWith(":")) {
            typeIndex++;
        }
        if (typeIndex == 0 || typeIndex + 1 >= tokens.length) {
            throw new IllegalArgumentException("expected '<process> :<invoke|ok|fail|info> :<read|write|cas> value'");
        }
        final int process = parseProcess(tokens[typeIndex - 1]);
        final String eventType = tokens[typeIndex];
        final int opType = parseOpType(tokens[typeIndex + 1]);
        final String value = String.join(" ", Arrays.copyOfRange(tokens, typeIndex + 2, tokens.length));
        final Integer pending = pendingOpByProcess.get(process);
        if (":invoke".equals(eventType)) {
            if (pending != null) {
                throw new IllegalArgumentException("process " + process + " invokes while its operation from line "
                    + pendingLineByProcess.get(process) + " is still pending");
            }
            pendingOpByProcess.put(process, invoke(history, process, opType, value));
            pendingLineByProcess.put(process, lineNumber);
            history.labelLastEventWithLine(lineNumber);
            return;
        }
        if (pending == null) {
            throw new IllegalArgumentException("process " + process + " completes an operation it never invoked");
        }
        final int op = pending;
        if (history.type(op) != opType) {
            throw new IllegalArgumentException("completion does not match the " + tokens[typeIndex + 1].substring(1)
                + " invoked at line " + pendingLineByProcess.get(process));
        }
        complete(history, op, eventType, value);
        pendingOpByProcess.remove(process);
        pendingLineByProcess.remove(process);
        history.labelLastEventWithLine(lineNumber);
    }

    private static int invoke(final History history, final int process, final int opType, final String value) {
        switch (opType) {
            case History.READ -> {
                return history.invokeRead(process, 0);
            }
            case History.WRITE -> {
                return history.invokeWrite(process, 0, parseStorable(value));
            }
            default -> {
                final long[] fromTo = parseCas(value);
                return history.invokeCas(process, 0, fromTo[0], fromTo[1]);
            }
        }
    }

    private static void complete(final History history, final int op, final String eventType, final String value) {
        switch (eventType) {
            case ":ok" -> {
                if (history.type(op) == History.READ) {
                    history.okRead(op, parseValue(value));
                    return;
                }
                final boolean same = history.type(op) == History.WRITE
                    ? parseValue(value) == history.value(op)
                    : sameCas(parseCas(value), history.value(op), history.newValue(op));
                if (!same) {
                    throw new IllegalArgumentException("ok value differs from the invoked value");
                }
                history.ok(op);
            }
            case ":fail" -> history.fail(op);
            case ":info" -> history.info(op);
            default -> throw new IllegalArgumentException("unknown event type " + eventType);
        }
    }

    private static boolean sameCas(final long[] fromTo, final long expected, final long newValue) {
        return fromTo[0] == expected && fromTo[1] == newValue;
    }

    private static int parseProcess(final String token) {
        try {
            return Integer.parseInt(token);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("process id '" + token + "' is not an integer", ex);
        }
    }

    private static int parseOpType(final String token) {
        return switch (token) {
            case ":read" -> History.READ;
            case ":write" -> History.WRITE;
            case ":cas" -> History.CAS;
            default -> throw new IllegalArgumentException("unknown operation " + token);
        };
    }

    private static long[] parseCas(final String value) {
        final String trimmed = value.strip();
        if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
            throw new IllegalArgumentException("cas value must be [from to], not '" + value + "'");
        }
        final String[] parts = trimmed.substring(1, trimmed.length() - 1).strip().split("[\\s,]+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("cas value must be [from to], not '" + value + "'");
        }
        return new long[] {parseValue(parts[0]), parseStorable(parts[1])};
    }

    private static long parseStorable(final String value) {
        final long parsed = parseValue(value);
        if (parsed == History.NIL) {
            throw new IllegalArgumentException("a written value must be a number, not '" + value + "'");
        }
        return parsed;
    }

    private static long parseValue(final String value) {
        final String trimmed = value.strip();
        if ("nil".equals(trimmed)) {
            return History.NIL;
        }
        try {
            return Long.parseLong(trimmed);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("value '" + value + "' is neither a number nor nil", ex);
        }
    }

    static void write(final History history, final Writer out) throws IOException {
        for (int op = 1; op < history.opCount(); op++) {
            if (history.key(op) != history.key(0)) {
                throw new IllegalStateException("a Jepsen register log holds one key; this history has several");
            }
        }
        for (int event = 0; event < history.eventCount(); event++) {
            final int op = history.eventOp(event);
            final String f = switch (history.type(op)) {
                case History.READ -> ":read";
                case History.WRITE -> ":write";
                default -> ":cas";
            };
            final String invokedValue = switch (history.type(op)) {
                case History.READ -> "nil";
                case History.WRITE -> History.format(history.value(op));
                default -> "[" + History.format(history.value(op)) + " " + History.format(history.newValue(op)) + "]";
            };
            final String line;
            if (history.isInvokeEvent(event)) {
                line = ":invoke\t" + f + "\t" + invokedValue;
            } else {
                line = switch (history.status(op)) {
                    case History.OK -> ":ok\t" + f + "\t"
                        + (history.type(op) == History.READ ? History.format(history.readResult(op)) : invokedValue);
                    case History.FAIL -> ":fail\t" + f + "\t" + invokedValue;
                    default -> ":info\t" + f + "\t:timed-out";
                };
            }
            out.write(LOG_PREFIX + history.process(op) + "\t" + line + "\n");
        }
    }
}
