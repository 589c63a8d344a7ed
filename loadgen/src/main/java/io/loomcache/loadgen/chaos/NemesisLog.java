package io.loomcache.loadgen.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * The run's log of actions, {@code DIR/<run>-nemesis.txt}: what the nemesis did and when, with the output of every
 * {@code scripts/cluster} call appended in between by the script itself. Lines marked for the console are printed
 * there too. Thread-safe.
 */
final class NemesisLog {
    private final Path file;
    private final PrintStream console;

    NemesisLog(final Path file, final PrintStream console) throws IOException {
        this.file = file;
        this.console = console;
        Files.writeString(file, "", StandardCharsets.UTF_8);
    }

    Path file() {
        return file;
    }

    /**
     * Appends a line to the log only.
     *
     * @param text the line.
     */
    synchronized void note(final String text) {
        try {
            Files.writeString(file, "=== " + LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + text + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (final IOException ex) {
            console.println("chaos: cannot write " + file + ": " + ex.getMessage());
        }
    }

    /**
     * Appends a line to the log and prints it on the console.
     *
     * @param text the line.
     */
    synchronized void say(final String text) {
        note(text);
        console.println(text);
        console.flush();
    }
}
