package com.aima.metrics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The structure of docker-compose.yml and docker-compose.gpu.yml: images, health, dependencies, mounts, ports. */
// One instance for all tests: the files are read and parsed once; no test changes what they parse to.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {

    static final String COMPOSE = "docker-compose.yml";
    static final String GPU_OVERRIDE = "docker-compose.gpu.yml";
    /** Files another part of issue 7 adds (Grafana provisioning and dashboards); mounted here, written there. */
    static final List<String> GRAFANA_FILES = List.of("grafana/provisioning/datasources/influxdb.yaml",
            "grafana/provisioning/dashboards/aima.yaml", "grafana/dashboards/admin.json",
            "grafana/dashboards/user.json", "grafana/dashboards/finance.json");
    private static final Pattern PINNED_TAG = Pattern.compile("^[^:@\\s]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*)(@sha256:[0-9a-f]{64})?$");

    private final Compose compose = Compose.read(COMPOSE);
    private final Compose gpu = Compose.read(GPU_OVERRIDE);
    private final Dockerfile dockerfile = Dockerfile.read();

    @Test
    void everyImageIsPinnedToAVersion() {
        compose.services().forEach((name, service) -> {
            String image = service.path("image").asText("");
            assertThat(image).as("image of service %s", name).isNotEmpty();
            assertPinned("service " + name, image);
        });
        gpu.services().forEach((name, service) -> assertThat(service.has("image") || service.has("build"))
                .as("the GPU override only adds settings, service %s", name).isFalse());
    }

    @Test
    void kafkaImagesMatchTheKafkaVersionTheCodeIsBuiltWith() {
        String version = System.getProperty("aima.kafka.version");
        Assumptions.assumeTrue(version != null, "run by Maven, which passes the kafka.version property");
        assertThat(compose.service("kafka").path("image").asText()).isEqualTo("apache/kafka:" + version);
        assertThat(dockerfile.stages()).containsEntry("connect", "apache/kafka:" + version);
    }

    @Test
    void dockerfileStagesArePinnedAndEveryBuiltServiceNamesAStage() {
        dockerfile.stages().forEach((stage, from) -> assertPinned("Dockerfile stage " + stage, from));
        compose.services().forEach((name, service) -> {
            if (service.has("build")) {
                JsonNode build = service.path("build");
                assertThat(build.path("dockerfile").asText()).as("service %s", name).isEqualTo("deploy/Dockerfile");
                assertThat(build.path("context").asText()).as("service %s", name).isEqualTo(".");
                assertThat(dockerfile.stages()).as("service %s builds a stage that exists", name)
                        .containsKey(build.path("target").asText());
            }
        });
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndRestarts() {
        List<String> oneShots = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            if (Compose.oneShot(service)) {
                oneShots.add(name);
                assertThat(service.has("healthcheck")).as("one-shot %s has no health check", name).isFalse();
                return;
            }
            assertThat(service.path("restart").asText()).as("restart policy of %s", name).isEqualTo("unless-stopped");
            JsonNode test = service.path("healthcheck").path("test");
            assertThat(test.isArray() && test.size() >= 2).as("health check of %s", name).isTrue();
            assertThat(test.get(0).asText()).as("health check of %s", name).isIn("CMD", "CMD-SHELL");
            assertThat(service.path("healthcheck").path("interval").asText()).as("interval of %s", name).isNotEmpty();
            assertThat(service.path("healthcheck").path("retries").asInt()).as("retries of %s", name).isPositive();
        });
        assertThat(oneShots).containsExactlyInAnyOrder("minio-setup", "connectors");
    }

    @Test
    void everyDependencyExistsAndIsWaitedForProperly() {
        Map<String, JsonNode> services = compose.services();
        services.forEach((name, service) -> Compose.dependsOn(service).forEach((target, condition) -> {
            assertThat(services).as("%s depends on %s", name, target).containsKey(target);
            String expected = Compose.oneShot(services.get(target)) ? "service_completed_successfully"
                    : "service_healthy";
            assertThat(condition).as("%s waits for %s", name, target).isEqualTo(expected);
        }));
    }

    @Test
    void theServicesNeededForARunAreAllThere() {
        assertThat(compose.services().keySet()).containsExactlyInAnyOrder("kafka", "registry", "influxdb", "minio",
                "minio-setup", "grafana", "connect", "connectors", "streams-app", "collector");
    }

    @Test
    void everyMountedRepositoryPathExists() {
        List<String> missing = new ArrayList<>();
        for (Compose source : List.of(compose, gpu)) {
            source.services().forEach((name, service) -> Compose.mounts(service).stream().filter(Compose.Mount::bind)
                    .forEach(mount -> {
                        assertThat(mount.source()).as("bind mounts of %s are relative to the repository", name)
                                .startsWith("./");
                        if (!mount.source().startsWith("./grafana/") && !Files.exists(Repository.file(mount.source()))) {
                            missing.add(name + ": " + mount.source());
                        }
                    }));
        }
        assertThat(missing).as("mounted paths missing from the repository").isEmpty();
    }

    @Test
    void grafanaProvisioningAndDashboardsAreMounted() {
        JsonNode grafana = compose.service("grafana");
        assertThat(Compose.mounts(grafana)).contains(
                new Compose.Mount("./grafana/provisioning", "/etc/grafana/provisioning:ro".split(":")[0], true),
                new Compose.Mount("./grafana/dashboards", "/var/lib/grafana/dashboards", true));
        assertThat(GRAFANA_FILES.stream().filter(file -> !Files.exists(Repository.file(file))))
                .as("Grafana files missing from the repository").isEmpty();
    }

    @Test
    void namedVolumesAreDeclaredAndUsed() {
        Set<String> declared = new TreeSet<>();
        compose.root().path("volumes").fieldNames().forEachRemaining(declared::add);
        Set<String> used = new TreeSet<>();
        compose.services().forEach((name, service) -> Compose.mounts(service).stream()
                .filter(mount -> !mount.bind()).forEach(mount -> used.add(mount.source())));
        assertThat(used).isEqualTo(declared);
    }

    @Test
    void publishedPortsDoNotCollide() {
        Map<Integer, String> byPort = new HashMap<>();
        List<String> collisions = new ArrayList<>();
        for (Compose source : List.of(compose, gpu)) {
            source.services().forEach((name, service) -> Compose.ports(service).forEach(port -> {
                if (port.published() == 0) {
                    return;
                }
                String previous = byPort.putIfAbsent(port.published(), name);
                if (previous != null && !previous.equals(name)) {
                    collisions.add(port.published() + ": " + previous + " and " + name);
                }
            }));
        }
        assertThat(collisions).isEmpty();
        Set<String> perService = new HashSet<>();
        compose.services().forEach((name, service) -> Compose.ports(service).forEach(port ->
                assertThat(perService.add(name + "/" + port.target())).as("%s publishes %s twice", name, port)
                        .isTrue()));
    }

    @Test
    void gpuReservationIsOnlyInTheOverride() {
        compose.services().forEach((name, service) -> assertThat(service.at("/deploy/resources/reservations/devices")
                .isMissingNode()).as("no device reservation in the base file (%s): it fails without the NVIDIA runtime",
                name).isTrue());
        assertThat(gpu.services().keySet()).isSubsetOf(compose.services().keySet());
        JsonNode device = gpu.service("collector").at("/deploy/resources/reservations/devices/0");
        assertThat(device.path("driver").asText()).isEqualTo("nvidia");
        assertThat(device.path("capabilities").toString()).contains("gpu");
        assertThat(Compose.environment(gpu.service("collector"))).containsEntry("AIMA_COLLECTOR_GPU__SOURCE", "nvml");
        assertThat(gpu.service("collector").path("pid").asText()).isEqualTo("host");
    }

    @Test
    void envExampleListsEveryVariableWithTheComposeDefault() {
        Map<String, String> example = envFile(Repository.file(".env.example"));
        Map<String, String> defaults = new LinkedHashMap<>(compose.variables());
        defaults.putAll(gpu.variables());
        assertThat(example).isEqualTo(new java.util.TreeMap<>(defaults));
        assertThat(Repository.text(Repository.file(".gitignore")).lines()).contains("/.env");
    }

    static Map<String, String> envFile(Path file) {
        Map<String, String> values = new java.util.TreeMap<>();
        Repository.text(file).lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .forEach(line -> {
                    String[] pair = line.split("=", 2);
                    values.put(pair[0], pair.length > 1 ? pair[1] : "");
                });
        return values;
    }

    static void assertPinned(String what, String image) {
        Matcher matcher = PINNED_TAG.matcher(image);
        assertThat(matcher.matches()).as("%s: image '%s' has a tag", what, image).isTrue();
        String tag = matcher.group(1).substring(1);
        assertThat(tag).as("%s: image '%s'", what, image).isNotEqualTo("latest").matches(".*\\d.*");
    }

    /** The stages of deploy/Dockerfile: name and base image, and each stage's CMD as JSON. */
    record Dockerfile(Map<String, String> stages, Map<String, List<String>> commands) {

        private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?",
                Pattern.CASE_INSENSITIVE);

        static Dockerfile read() {
            Map<String, String> stages = new LinkedHashMap<>();
            Map<String, List<String>> commands = new LinkedHashMap<>();
            String current = null;
            for (String line : Repository.text(Repository.file("deploy/Dockerfile")).lines().toList()) {
                Matcher from = FROM.matcher(line);
                if (from.find()) {
                    current = from.group(2) == null ? from.group(1) : from.group(2);
                    stages.put(current, from.group(1));
                } else if (line.startsWith("CMD [") && current != null) {
                    List<String> command = new ArrayList<>();
                    try {
                        Repository.JSON.readTree(line.substring(4)).forEach(item -> command.add(item.asText()));
                    } catch (java.io.IOException e) {
                        throw new AssertionError("CMD of stage " + current + " is not a JSON array: " + line, e);
                    }
                    commands.put(current, command);
                }
            }
            return new Dockerfile(stages, commands);
        }
    }
}
