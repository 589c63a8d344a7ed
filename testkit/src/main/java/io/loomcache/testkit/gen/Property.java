package io.loomcache.testkit.gen;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a property over many seeded tries, each with its own {@link Gen}. A failing try is shrunk cheaply: the same
 * seed runs again under size limits 0, 1, 2, 4 ... below the largest length it drew, and the smallest limit that
 * still fails is reported. The failure names the seed and size with the command that replays them
 * ({@code -Dloomcache.seed=S -Dloomcache.size=N} runs that one try, in the style of {@code scripts/raft-sim --seed}).
 * Try seeds derive from the test's class and method names, so every run of the suite checks the same cases.
 */
public final class Property {
    /** The system property that replays one seed instead of running the tries. */
    public static final String SEED_PROPERTY = "loomcache.seed";
    /** The system property giving the size limit of a replayed seed (no limit when absent). */
    public static final String SIZE_PROPERTY = "loomcache.size";

    private Property() {
    }

    /**
     * Runs {@code property} for {@code tries} seeds, or only for the seed in {@value #SEED_PROPERTY} when set.
     *
     * @param tries    how many seeds to try.
     * @param property draws its inputs from the {@link Gen} and fails by throwing.
     * @throws AssertionError naming the failing seed, its shrunk size and how to replay it, with the failure as cause.
     */
    public static void forAll(final int tries, final Consumer<Gen> property) {
        final String test = testName();
        final Long replay = Long.getLong(SEED_PROPERTY);
        if (replay != null) {
            final int size = Integer.getInteger(SIZE_PROPERTY, Integer.MAX_VALUE);
            final Throwable failure = run(property, new Gen(replay, size));
            if (failure != null) {
                throw failed(test, replay, size, "replayed", failure);
            }
            return;
        }
        final SplittableRandom seeds = new SplittableRandom(test.hashCode());
        for (int i = 1; i <= tries; i++) {
            final Gen gen = new Gen(seeds.nextLong());
            final Throwable failure = run(property, gen);
            if (failure != null) {
                throw shrink(test, property, gen, "try " + i + " of " + tries, failure);
            }
        }
    }

    /** The calling test as {@code Class#method}: the first caller frame outside this class and its lambdas. */
    private static String testName() {
        final List<StackWalker.StackFrame> callers = StackWalker.getInstance().walk(frames -> frames
            .filter(f -> !f.getClassName().equals(Property.class.getName())).toList());
        final StackWalker.StackFrame frame = callers.stream()
            .filter(f -> f.getClassName().equals(callers.getFirst().getClassName()))
            .filter(f -> !f.getMethodName().startsWith("lambda$")).findFirst().orElse(callers.getFirst());
        return frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1) + "#" + frame.getMethodName();
    }

    private static AssertionError shrink(
        final String test, final Consumer<Gen> property, final Gen failed, final String which, final Throwable first) {
        for (int limit = 0; limit < failed.largestLength(); limit = limit == 0 ? 1 : 2 * limit) {
            final Throwable smaller = run(property, new Gen(failed.seed(), limit));
            if (smaller != null) {
                final AssertionError error = failed(test, failed.seed(), limit, which, smaller);
                error.addSuppressed(first);
                return error;
            }
        }
        return failed(test, failed.seed(), Integer.MAX_VALUE, which, first);
    }

    private static Throwable run(final Consumer<Gen> property, final Gen gen) {
        try {
            property.accept(gen);
            return null;
        } catch (final Throwable failure) {
            return failure;
        }
    }

    private static AssertionError failed(
        final String test, final long seed, final int size, final String which, final Throwable failure) {
        final String sizeOption = size == Integer.MAX_VALUE ? "" : " -D" + SIZE_PROPERTY + "=" + size;
        final String module = Path.of("").toAbsolutePath().getFileName().toString();
        final String shrunk = sizeOption.isEmpty() ? "" : ", size " + size;
        return new AssertionError("seed " + seed + " (" + which + shrunk + "): " + failure
            + "\n  replay: scripts/mvnw -o -q -pl " + module + " -am test -Dtest=" + test
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + SEED_PROPERTY + "=" + seed + sizeOption, failure);
    }
}
