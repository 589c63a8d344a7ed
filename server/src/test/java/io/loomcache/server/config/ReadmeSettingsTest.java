package io.loomcache.server.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Keeps the README true: every setting's flag, environment variable, config-file key and default appear in one row
 * of its settings table.
 */
class ReadmeSettingsTest {
    @Test
    void shouldDocumentEverySettingInTheReadme() throws IOException {
        final Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
        final String text = Files.readString(readme);
        for (final Setting setting : Setting.values()) {
            final String row = "| `" + setting.flag() + "` | `" + setting.env() + "` | `" + setting.key() + "` | `"
                + setting.defaultValue() + "` |";
            assertTrue(text.contains(row), () -> "README.md lacks the settings row starting " + row);
        }
    }
}
