package io.loomcache.server.config;

/**
 * Renders --help from the {@link Setting} table: every flag, environment variable, config-file key and default.
 */
public final class HelpText {
    private HelpText() {
    }

    /**
     * The help text.
     *
     * @return several lines, ending with a newline.
     */
    public static String render() {
        final StringBuilder text = new StringBuilder(4096);
        text.append("Usage: loomcache-server [--config FILE] [--flag value | --flag=value ...]\n")
            .append("Starts a LoomCache node. Precedence: default < config file (Java properties, key = ...) < ")
            .append("LOOMCACHE_* environment < flag.\n")
            .append("Invalid settings print one line and exit with status 2.\n\n")
            .append(String.format("  %-26s %-40s %-30s %s%n", "flag", "environment", "file key", "default"));
        text.append(String.format("  %-26s %-40s %-30s %s%n", ConfigLoader.CONFIG_FLAG + " FILE",
            ConfigLoader.CONFIG_ENV, "-", "(none)"));
        for (final Setting setting : Setting.values()) {
            text.append(String.format("  %-26s %-40s %-30s %s%n", setting.flag(), setting.env(), setting.key(),
                setting.defaultValue().isEmpty() ? "(empty)" : setting.defaultValue()));
            text.append("      ").append(setting.description()).append('\n');
        }
        text.append("  --help                      prints this text\n");
        return text.toString();
    }
}
