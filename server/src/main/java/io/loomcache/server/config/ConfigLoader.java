package io.loomcache.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import io.loomcache.protocol.options.FlagCursor;
import io.loomcache.protocol.options.UsageException;

/**
 * Builds a {@link ServerContext} from, in rising precedence, the {@link Setting} defaults, a Java properties file
 * ({@code --config FILE} or {@code LOOMCACHE_CONFIG}), {@code LOOMCACHE_*} environment variables and command-line
 * flags ({@code --port 7654} or {@code --port=7654}). Every value goes through its setting's parser; the first bad
 * one stops loading with a {@link ConfigException} naming where it came from. Configuration time only.
 */
public final class ConfigLoader {
    /** Flag naming the config file. */
    public static final String CONFIG_FLAG = "--config";
    /** Environment variable naming the config file. */
    public static final String CONFIG_ENV = "LOOMCACHE_CONFIG";
    /** Flag asking for the help text. */
    public static final String HELP_FLAG = "--help";

    private ConfigLoader() {
    }

    /**
     * Loads and concludes the configuration.
     *
     * @param args the command-line arguments (without --help, which the caller handles).
     * @param env the environment, usually {@link System#getenv()}.
     * @return the concluded context.
     * @throws ConfigException on the first invalid setting, unknown flag or unreadable file.
     */
    public static ServerContext load(final String[] args, final Map<String, String> env) {
        final ServerContext context = new ServerContext();
        final List<String[]> flags = new ArrayList<>();
        String configFile = env.get(CONFIG_ENV);
        final FlagCursor words = new FlagCursor(List.of(args));
        try {
            while (words.advance()) {
                final String name = words.name();
                if (!words.isFlag()) {
                    throw new ConfigException("unexpected argument " + words.word() + " (see --help)");
                } else if (CONFIG_FLAG.equals(name)) {
                    configFile = words.value();
                } else if (Setting.byFlag(name) == null) {
                    throw new ConfigException("unknown flag " + name + " (see --help)");
                } else {
                    flags.add(new String[] {name, words.value()});
                }
            }
        } catch (final UsageException ex) {
            throw new ConfigException(ex.getMessage() + " (see --help)");
        }
        if (configFile != null && !configFile.isBlank()) {
            applyFile(context, Path.of(configFile));
        }
        for (final Setting setting : Setting.values()) {
            final String value = env.get(setting.env());
            if (value != null) {
                apply(context, setting, value, setting.env());
            }
        }
        for (final String[] flag : flags) {
            apply(context, Setting.byFlag(flag[0]), flag[1], flag[0]);
        }
        return context.conclude();
    }

    private static void applyFile(final ServerContext context, final Path file) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (final IOException ex) {
            throw new ConfigException("cannot read config file " + file + ": " + ex.getMessage());
        }
        for (final String key : new TreeSet<>(properties.stringPropertyNames())) {
            final Setting setting = Setting.byKey(key);
            if (setting == null) {
                throw new ConfigException("unknown key " + key + " in config file " + file + " (see --help)");
            }
            apply(context, setting, properties.getProperty(key), key + " (" + file + ")");
        }
    }

    private static void apply(
        final ServerContext context, final Setting setting, final String value, final String source) {
        try {
            setting.apply(context, value);
        } catch (final IllegalArgumentException ex) {
            throw new ConfigException(source, value, ex.getMessage());
        }
    }
}
