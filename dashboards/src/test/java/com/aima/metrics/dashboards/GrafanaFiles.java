package com.aima.metrics.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's {@code grafana/} folder: the provisioning files and the dashboards, read as Grafana reads them.
 * The folder is {@value #DIR_PROPERTY} (set by the module's POM), else {@code ../grafana}.
 */
final class GrafanaFiles {

    static final String DIR_PROPERTY = "aima.grafana.dir";
    /** Where docker-compose and k8s mount {@code grafana/dashboards}; the dashboard provider must read it. */
    static final String DASHBOARDS_MOUNT = "/var/lib/grafana/dashboards";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path dir;

    private GrafanaFiles(Path dir) {
        this.dir = dir;
    }

    static GrafanaFiles locate() {
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, "../grafana")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("dashboards"))) {
            throw new IllegalStateException("No Grafana folder with dashboards/ at " + dir + "; set -D" + DIR_PROPERTY
                    + " to the repository's grafana folder.");
        }
        return new GrafanaFiles(dir);
    }

    Path datasourceFile() {
        return dir.resolve("provisioning/datasources/influxdb.yaml");
    }

    Path dashboardProviderFile() {
        return dir.resolve("provisioning/dashboards/aima.yaml");
    }

    JsonNode datasourceProvisioning() {
        return readYaml(datasourceFile());
    }

    JsonNode dashboardProvisioning() {
        return readYaml(dashboardProviderFile());
    }

    /** The single data source of the provisioning file. */
    JsonNode datasource() {
        JsonNode datasources = datasourceProvisioning().path("datasources");
        if (datasources.size() != 1) {
            throw new IllegalStateException(datasourceFile() + " must provision exactly one data source, not "
                    + datasources.size() + ".");
        }
        return datasources.get(0);
    }

    /** Every {@code *.json} under {@code dashboards/}, sorted by file name. */
    List<Dashboard> dashboards() {
        try (Stream<Path> files = Files.list(dir.resolve("dashboards"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted()
                    .map(file -> new Dashboard(file.getFileName().toString(), readJson(file))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir.resolve("dashboards") + ".", e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse the dashboard " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse the provisioning file " + file + ": " + e.getMessage(), e);
        }
    }
}
