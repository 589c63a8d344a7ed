package io.loomcache.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs a main class from the test class path with the project's JVM flags
 * ({@code jvm.args} at the repository root): {@code java <jvm.args> <extra flags> -cp <class path> <main> <args>},
 * with the {@code java} of the running JVM. Starting, waiting for and killing the process stay with the test.
 */
public final class JavaCommand {
    /** System property that may name the jvm.args file; otherwise it is searched upwards from {@code user.dir}. */
    public static final String JVM_ARGS_FILE_PROPERTY = "loomcache.jvm.args.file";

    private JavaCommand() {
    }

    /**
     * Finds the project's jvm.args: the file named by {@link #JVM_ARGS_FILE_PROPERTY} if it exists, else the
     * first {@code jvm.args} in {@code user.dir} or one of its parents.
     *
     * @return the absolute path of the file.
     * @throws IllegalStateException if no such file exists.
     */
    public static Path jvmArgsFile() {
        final String configured = System.getProperty(JVM_ARGS_FILE_PROPERTY);
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath();
        }
        final Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            final Path candidate = dir.resolve("jvm.args");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("jvm.args not found from " + start);
    }

    /**
     * Reads the project's JVM flags: one a line, stripped, blank lines and {@code #} comments left out.
     *
     * @return the flags in file order.
     * @throws IOException if the file cannot be read.
     */
    public static List<String> jvmArgs() throws IOException {
        final List<String> flags = new ArrayList<>();
        for (final String line : Files.readAllLines(jvmArgsFile())) {
            final String flag = line.strip();
            if (!flag.isEmpty() && !flag.startsWith("#")) {
                flags.add(flag);
            }
        }
        return flags;
    }

    /**
     * The {@code java} launcher of the running JVM ({@code java.home}).
     *
     * @return its path as a string.
     */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Builds {@code java <jvm.args> <extraJvmFlags> -cp <java.class.path> <mainClass> <args>}.
     *
     * @param mainClass     the class whose {@code main} the child runs; it must be on this JVM's class path.
     * @param extraJvmFlags flags after the project's, e.g. {@code -Xmx256m} or {@code -XX:-UsePerfData}.
     * @param args          the program arguments.
     * @return a new mutable list, so a caller may add more arguments.
     * @throws IOException if jvm.args cannot be read.
     */
    public static List<String> forMainClass(
        final Class<?> mainClass, final List<String> extraJvmFlags, final List<String> args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs());
        command.addAll(extraJvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }
}
