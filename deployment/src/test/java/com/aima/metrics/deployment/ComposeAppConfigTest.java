package com.aima.metrics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.api.ApiConfig;
import com.aima.metrics.Topics;
import com.aima.metrics.collector.config.CollectorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The configuration each service of docker-compose.yml runs with, checked against the application that reads it. */
// One instance for all tests: the files are read and parsed once; no test changes what they parse to.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeAppConfigTest {

    private final Compose compose = Compose.read(ComposeFileTest.COMPOSE);
    private final Compose gpu = Compose.read(ComposeFileTest.GPU_OVERRIDE);
    private final ComposeFileTest.Dockerfile dockerfile = ComposeFileTest.Dockerfile.read();

    @Test
    void streamsAppReadsItsConfigAndEveryKeyIsKnown() {
        JsonNode service = compose.service("streams-app");
        Path config = configFile(service, "streams-app");
        Map<String, String> settings = Repository.properties(config);
        assertThat(AppConfigs.streamsAppProblems("deploy/streams-app.properties", settings,
                containerPath -> Compose.hostPathOf(service, containerPath).orElseThrow(() -> new AssertionError(
                        containerPath + " is not mounted into streams-app")), Compose.environment(service)))
                .isEmpty();
        assertPointsAtService("streams-app bootstrap.servers", settings.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertPointsAtService("streams-app schema.registry.url", settings.get("schema.registry.url"));
        assertThat(settings.get("schema.registry.url")).endsWith("/apis/ccompat/v7");
        assertOnNamedVolume(service, settings.get(StreamsConfig.STATE_DIR_CONFIG));
        String healthPort = settings.get("aima.health.port");
        assertThat(Compose.containerPorts(service)).contains(Integer.parseInt(healthPort));
        assertThat(service.path("healthcheck").path("test").toString())
                .contains("localhost:" + healthPort + "/health/ready");
        // the REST API: published, and reached by the other instances under the service's name
        assertThat(Compose.containerPorts(service)).contains(Integer.parseInt(settings.get(ApiConfig.PORT_CONFIG)));
        assertThat(settings.get(ApiConfig.ADVERTISED_HOST_CONFIG)).isEqualTo("streams-app");
    }

    @Test
    void collectorReadsItsConfigAndEnvironment() {
        JsonNode service = compose.service("collector");
        Path config = configFile(service, "collector");
        Map<String, String> environment = Compose.environment(service);
        assertThat(AppConfigs.collectorProblems("deploy/collector.yaml", config, environment)).isEmpty();
        Map<String, String> withGpu = new LinkedHashMap<>(environment);
        withGpu.putAll(Compose.environment(gpu.service("collector")));
        assertThat(AppConfigs.collectorProblems("deploy/collector.yaml with the GPU override", config, withGpu))
                .isEmpty();

        CollectorConfig settings = AppConfigs.collector(config, environment);
        assertThat(settings.gpu().source()).isEqualTo(CollectorConfig.GpuSource.NVML_OR_SIMULATOR);
        assertThat(AppConfigs.collector(config, withGpu).gpu().source()).isEqualTo(CollectorConfig.GpuSource.NVML);
        assertPointsAtService("collector kafka.bootstrap-servers", settings.kafka().bootstrapServers());
        assertPointsAtService("collector kafka.schema-registry-url", settings.kafka().schemaRegistryUrl());
        assertThat(Compose.containerPorts(service)).contains(settings.http().port());
        assertThat(service.path("healthcheck").path("test").toString())
                .contains("localhost:" + settings.http().port() + "/healthz");
        assertOnNamedVolume(service, settings.stateDir().toString());
    }

    @Test
    void connectWorkerReadsItsConfig() {
        JsonNode service = compose.service("connect");
        Path config = configFile(service, "connect");
        Map<String, String> worker = Repository.properties(config);
        assertThat(AppConfigs.workerProblems("deploy/connect-distributed.properties", worker)).isEmpty();
        assertPointsAtService("connect bootstrap.servers", worker.get("bootstrap.servers"));
        assertThat(worker).containsEntry("config.providers", "env").containsEntry("config.providers.env.class",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertThat(worker.get("listeners")).isEqualTo("http://0.0.0.0:8083");
        assertThat(Compose.containerPorts(service)).contains(8083);
        assertThat(worker).containsEntry("rest.advertised.host.name", "connect");
        assertThat(worker.get("plugin.path")).isEqualTo("/opt/kafka/plugins");
        assertThat(Repository.text(Repository.file("deploy/Dockerfile")))
                .contains("COPY --from=build /out/connect-plugin/ /opt/kafka/plugins/aima-sink-connectors/");
        assertThat(compose.service("connectors").path("environment").path("CONNECT_URL").asText())
                .isEqualTo("http://connect:8083");
    }

    @Test
    void connectorConfigsAreValidForTheirConnectorsAndPointAtServices() {
        Map<String, String> environment = Compose.environment(compose.service("connect"));
        List<String> problems = new ArrayList<>();
        for (Path file : connectorFiles(Repository.file("deploy/connect"))) {
            String name = file.getFileName().toString().replace(".json", "");
            Map<String, String> config = Repository.stringMap(Repository.json(file));
            assertCommonConnectorSettings(name, config);
            problems.addAll(AppConfigs.connectorProblems("deploy/connect/" + name + ".json", config, environment));
            for (String key : List.of("schema.registry.url", "influxdb.url", "s3.endpoint", "dedup.bootstrap.servers")) {
                if (config.containsKey(key)) {
                    assertPointsAtService(name + " " + key, config.get(key));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void connectorsLoaderMountsTheConnectorDirectory() {
        JsonNode loader = compose.service("connectors");
        assertThat(Compose.mounts(loader)).contains(new Compose.Mount("./deploy/connect", "/connectors:ro"
                .split(":")[0], true));
        assertThat(loader.path("entrypoint").toString()).contains("/connectors/load-connectors.sh");
        assertThat(Files.isRegularFile(Repository.file("deploy/connect/load-connectors.sh"))).isTrue();
        assertThat(connectorFiles(Repository.file("deploy/connect")).stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("influxdb-sink.json", "s3-archive-sink.json", "notification-sink.json");
    }

    /** What every connector of the project is configured with, in Compose and Kubernetes alike. */
    static void assertCommonConnectorSettings(String fileName, Map<String, String> config) {
        assertThat(config.get("name")).as("name of %s", fileName).isEqualTo(fileName);
        assertThat(config.get("value.converter")).as("value.converter of %s", fileName)
                .isEqualTo(ByteArrayConverter.class.getName());
        assertThat(config.get("errors.tolerance")).as("errors.tolerance of %s", fileName).isEqualTo("all");
        assertThat(config.get("errors.deadletterqueue.topic.name")).as("dead-letter topic of %s", fileName)
                .isNotBlank();
        List<String> pipelineTopics = Topics.ALL.stream().map(Topics.TopicSpec::name).toList();
        List<String> topics = List.of(config.get("topics").split(","));
        assertThat(topics).as("topics of %s", fileName).isSubsetOf(pipelineTopics).doesNotHaveDuplicates();
        switch (config.get("connector.class")) {
            case "com.aima.metrics.archive.S3ArchiveSinkConnector" ->
                    // the dead-letter and late topics hold bytes as received, which may not be Avro at all
                    assertThat(topics).as("the archive keeps every topic of Avro records")
                            .containsExactlyInAnyOrderElementsOf(pipelineTopics.stream().filter(topic ->
                                    !topic.equals(Topics.METRICS_DLQ) && !topic.equals(Topics.METRICS_LATE)
                                            && !topic.equals(Topics.JOBS_DLQ)).toList());
            case "com.aima.metrics.influx.InfluxSinkConnector" -> assertThat(topics).containsExactlyInAnyOrder(
                    Topics.METRICS_RAW, Topics.ROLLUPS_HOUR, Topics.ROLLUPS_DAY, Topics.ROLLUPS_MONTH,
                    Topics.ROLLUPS_YEAR, Topics.COSTS, Topics.ALERTS);
            case "com.aima.metrics.notify.AlertNotificationSinkConnector" ->
                    assertThat(topics).containsExactly(Topics.ALERTS);
            default -> throw new AssertionError("Unexpected connector class in " + fileName);
        }
    }

    static List<Path> connectorFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The host file mounted where the image's default command reads its configuration. */
    private Path configFile(JsonNode service, String stage) {
        List<String> command = dockerfile.commands().get(stage);
        assertThat(command).as("CMD of Dockerfile stage %s", stage).isNotNull();
        String containerPath = command.get(command.size() - 1);
        Path host = Compose.hostPathOf(service, containerPath).orElseThrow(() -> new AssertionError(
                "Nothing is mounted at " + containerPath + ", where the " + stage + " image reads its config."));
        assertThat(host).exists();
        return host;
    }

    /** Every endpoint of {@code value} (comma-separated) is a service of the file listening on that port. */
    private void assertPointsAtService(String what, String value) {
        assertThat(value).as(what).isNotBlank();
        for (String part : value.split(",")) {
            Endpoint endpoint = Endpoint.parse(part);
            assertThat(compose.services()).as("%s: %s names a service", what, endpoint).containsKey(endpoint.host());
            assertThat(Compose.containerPorts(compose.service(endpoint.host())))
                    .as("%s: %s listens on that port", what, endpoint).contains(endpoint.port());
        }
    }

    private void assertOnNamedVolume(JsonNode service, String path) {
        assertThat(Compose.mounts(service)).as("%s is on a named volume", path)
                .anyMatch(mount -> !mount.bind() && (path.equals(mount.target())
                        || path.startsWith(mount.target() + "/")));
    }
}
