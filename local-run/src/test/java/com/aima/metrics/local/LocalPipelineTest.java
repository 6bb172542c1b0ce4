package com.aima.metrics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of the local run: its help and its errors on bad options, before anything starts. */
class LocalPipelineTest {

    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(String... args) {
        CommandLine command = new CommandLine(new LocalPipeline(new PrintStream(out, true, StandardCharsets.UTF_8)));
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        return command.execute(args);
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--data-dir", "--kafka-port", "--registry-port",
                "--progress-interval", "--partitions", "--price-catalog", "--demo-jobs");
    }

    @Test
    void aMissingPriceCatalogIsRefusedBeforeAnythingStarts() {
        assertThat(run("--price-catalog", "no/such/catalog.yaml", "--kafka-port", "0", "--registry-port", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--price-catalog").contains("no/such/catalog.yaml");
    }

    @Test
    void aBadDurationNamesTheOptionAndValue() {
        assertThat(run("--progress-interval", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--progress-interval").contains("'soon' is not a duration");
    }

    @Test
    void aPortInUseIsNamedWithTheWayOut() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run("--kafka-port", String.valueOf(busy.getLocalPort()))).isEqualTo(2);
        }
        assertThat(err.toString()).contains("is in use").contains("--kafka-port 0");
    }

    @Test
    void zeroPartitionsAreRefused() {
        assertThat(run("--partitions", "0", "--kafka-port", "0", "--registry-port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--partitions must be at least 1");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        LocalPipeline.DurationConverter converter = new LocalPipeline.DurationConverter();
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("PT1H")).isEqualTo(Duration.ofHours(1));
    }
}
