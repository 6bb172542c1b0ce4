package com.aima.metrics.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules read from a file and read again when it changes; a broken edit keeps the rules in use. */
class RuleSourceTest {

    private static final String HOT = """
            rules:
              - name: hot
                metric: gpu_temperature_celsius
                condition: gt
                threshold: %s
                severity: critical
            """;

    @TempDir
    Path dir;

    @Test
    void aChangedFileIsReadAgainAndABrokenOneKeepsTheRulesInUse() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, HOT.formatted(85));
        // An hour between checks: the test calls the check itself.
        try (RuleSource source = RuleSource.watching(file, Duration.ofHours(1))) {
            assertThat(source.get().named("hot").threshold()).isEqualTo(85);
            assertThat(source.reloadIfChanged()).as("unchanged").isFalse();

            Files.writeString(file, HOT.formatted(80));
            assertThat(source.reloadIfChanged()).isTrue();
            assertThat(source.get().named("hot").threshold()).isEqualTo(80);
            assertThat(source.get().watching("gpu_temperature_celsius")).hasSize(1);

            Files.writeString(file, HOT.formatted("warm"));
            assertThat(source.reloadIfChanged()).isFalse();
            assertThat(source.get().named("hot").threshold()).as("the rules in use stay").isEqualTo(80);
            assertThat(source.lastError()).contains("rule 1 (hot): threshold: 'warm' is not a number");

            Files.delete(file);
            assertThat(source.reloadIfChanged()).isFalse();
            assertThat(source.lastError()).contains("Cannot read the alert rules");

            Files.writeString(file, HOT.formatted(90));
            assertThat(source.reloadIfChanged()).isTrue();
            assertThat(source.lastError()).isNull();
            assertThat(source.get().named("hot").threshold()).isEqualTo(90);
        }
    }

    @Test
    void aBrokenFileAtStartIsAnErrorNamingTheRule() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, HOT.formatted("warm"));

        assertThatThrownBy(() -> RuleSource.watching(file, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + ": rule 1 (hot): threshold");
        assertThatThrownBy(() -> RuleSource.watching(dir.resolve("missing.yaml"), Duration.ofSeconds(5)))
                .hasMessageContaining("Cannot read the alert rules");
    }
}
