package io.loomcache.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.loomcache.client.LoomBlockingClient;
import io.loomcache.client.LoomConnectionException;
import io.loomcache.client.LoomException;
import io.loomcache.protocol.options.UsageException;

/**
 * The interactive prompt ({@code loomcache HOST:PORT> }, shown when stdin is a terminal): reads one command per
 * line, words split on blanks with "double" (backslash escapes) and 'single' quotes, prints results as one-shot
 * commands do (a missing key prints "(nil)"), reports errors as {@code error: ...} on stderr and goes on. A lost
 * connection is reopened by the next command. Ends on quit, exit or end of input, with exit code 0.
 */
final class InteractiveShell {
    private final CommandLine options;
    private final BufferedReader reader;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean prompt;
    private final CommandExecutor executor;

    /**
     * Creates a shell.
     *
     * @param options the connection options of the command line.
     * @param reader the input lines.
     * @param out where results and the prompt go.
     * @param err where errors go.
     * @param prompt whether to print the prompt.
     */
    InteractiveShell(final CommandLine options, final BufferedReader reader, final PrintStream out,
        final PrintStream err, final boolean prompt) {
        this.options = options;
        this.reader = reader;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
        this.executor = new CommandExecutor(out, true);
    }

    /**
     * Connects, then runs commands until quit or end of input.
     *
     * @return {@link LoomCli#EXIT_OK}.
     * @throws LoomException when the first connection cannot be opened.
     */
    int run() {
        LoomBlockingClient client = LoomCli.connect(options);
        try {
            while (true) {
                if (prompt) {
                    out.print("loomcache " + options.address() + "> ");
                    out.flush();
                }
                final String text = readLine();
                if (text == null) {
                    return LoomCli.EXIT_OK;
                }
                try {
                    final List<String> words = split(text);
                    if (words.isEmpty()) {
                        continue;
                    }
                    final CommandLine line = CommandLine.parse(words, false);
                    if (line.command() == Command.QUIT) {
                        return LoomCli.EXIT_OK;
                    }
                    if (line.command() == Command.HELP || line.help()) {
                        out.print(LoomCli.usage());
                        continue;
                    }
                    if (client == null) {
                        client = LoomCli.connect(options);
                    }
                    executor.execute(line, client);
                } catch (final UsageException ex) {
                    err.println("error: " + ex.getMessage() + " (type help)");
                    err.flush();
                } catch (final LoomConnectionException ex) {
                    LoomCli.printError(err, ex);
                    if (client != null) {
                        client.close();
                        client = null;
                    }
                } catch (final LoomException ex) {
                    LoomCli.printError(err, ex);
                }
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private String readLine() {
        try {
            return reader.readLine();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Splits a line into words: blanks separate words; "double quotes" group with backslash escapes inside;
     * 'single quotes' group literally.
     *
     * @param line the line.
     * @return the words, empty for a blank line.
     * @throws UsageException for an unterminated quote.
     */
    static List<String> split(final String line) {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (quote == '"' && c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new UsageException("unterminated quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
