package com.aima.metrics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.api.ApiConfig;
import com.aima.metrics.collector.config.CollectorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Kustomize base k8s/base and the dev overlay: references, selectors, resources, and the apps' configs. */
// One instance for all tests: the files are read and parsed once; no test changes what they parse to.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {

    private static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    private final Kustomization base = new Kustomization(Repository.file("k8s/base"));

    @Test
    void kustomizationListsEveryFileAndEveryListedFileExists() {
        assertThat(base.referencedFiles()).containsExactlyInAnyOrderElementsOf(base.filesOnDisk());
        Kustomization dev = new Kustomization(Repository.file("k8s/overlays/dev"));
        assertThat(dev.kustomization.path("resources").get(0).asText()).isEqualTo("../../base");
        List<String> overlayFiles = new ArrayList<>(dev.referencedFiles());
        overlayFiles.remove("../../base");
        assertThat(overlayFiles).containsExactlyInAnyOrderElementsOf(dev.filesOnDisk());
    }

    @Test
    void devOverlayOnlyChangesWhatTheBaseHas() {
        Path overlay = Repository.file("k8s/overlays/dev");
        assertThat(ComposeFileTest.envFile(overlay.resolve("endpoints.env")).keySet())
                .isSubsetOf(base.configMaps.get("aima-endpoints").keySet());
        for (JsonNode secret : Repository.yamlDocuments(overlay.resolve("secrets.yaml"))) {
            String name = secret.path("metadata").path("name").asText();
            assertThat(base.secrets).as("overlay patches secret %s", name).containsKey(name);
            secret.path("stringData").fieldNames().forEachRemaining(key ->
                    assertThat(base.secrets.get(name)).as("secret %s", name).containsKey(key));
        }
    }

    @Test
    void workloadSelectorsMatchTheirPodLabels() {
        for (JsonNode workload : base.ofKind("Deployment", "StatefulSet", "DaemonSet")) {
            Map<String, String> selector = Kustomization.labels(workload.at("/spec/selector/matchLabels"));
            assertThat(selector).as("selector of %s", Kustomization.name(workload)).isNotEmpty();
            assertThat(Kustomization.labels(Kustomization.podTemplate(workload).at("/metadata/labels")))
                    .as("pod labels of %s", Kustomization.name(workload)).containsAllEntriesOf(selector);
        }
    }

    @Test
    void everyServiceSelectsAWorkloadAndItsTargetPortsExist() {
        for (JsonNode service : base.ofKind("Service")) {
            Map<String, String> selector = Kustomization.labels(service.at("/spec/selector"));
            List<JsonNode> selected = base.ofKind("Deployment", "StatefulSet", "DaemonSet").stream()
                    .filter(workload -> Kustomization.labels(Kustomization.podTemplate(workload)
                            .at("/metadata/labels")).entrySet().containsAll(selector.entrySet())).toList();
            assertThat(selector).as("selector of %s", Kustomization.name(service)).isNotEmpty();
            assertThat(selected).as("workloads selected by %s", Kustomization.name(service)).isNotEmpty();
            for (JsonNode port : service.at("/spec/ports")) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                for (JsonNode workload : selected) {
                    List<JsonNode> containerPorts = new ArrayList<>();
                    Kustomization.containers(Kustomization.podTemplate(workload).path("spec"))
                            .forEach(container -> container.path("ports").forEach(containerPorts::add));
                    assertThat(containerPorts).as("%s port %s on %s", Kustomization.name(service), target,
                            Kustomization.name(workload)).anyMatch(containerPort -> target.isInt()
                            ? containerPort.path("containerPort").asInt() == target.asInt()
                            : target.asText().equals(containerPort.path("name").asText()));
                }
            }
        }
    }

    @Test
    void everyReferencedConfigMapSecretAndKeyExists() {
        List<String> missing = new ArrayList<>();
        for (JsonNode workload : base.ofKind(WORKLOADS.toArray(String[]::new))) {
            JsonNode pod = Kustomization.podTemplate(workload).path("spec");
            String where = Kustomization.name(workload);
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("configMap")) {
                    requireKey(missing, where, "ConfigMap", volume.at("/configMap/name").asText(), null);
                    volume.at("/configMap/items").forEach(item -> requireKey(missing, where, "ConfigMap",
                            volume.at("/configMap/name").asText(), item.path("key").asText()));
                }
                if (volume.has("secret")) {
                    requireKey(missing, where, "Secret", volume.at("/secret/secretName").asText(), null);
                }
            }
            for (JsonNode container : Kustomization.containers(pod)) {
                for (JsonNode from : container.path("envFrom")) {
                    if (from.has("configMapRef")) {
                        requireKey(missing, where, "ConfigMap", from.at("/configMapRef/name").asText(), null);
                    }
                    if (from.has("secretRef")) {
                        requireKey(missing, where, "Secret", from.at("/secretRef/name").asText(), null);
                    }
                }
                for (JsonNode variable : container.path("env")) {
                    JsonNode from = variable.path("valueFrom");
                    if (from.has("configMapKeyRef")) {
                        requireKey(missing, where, "ConfigMap", from.at("/configMapKeyRef/name").asText(),
                                from.at("/configMapKeyRef/key").asText());
                    }
                    if (from.has("secretKeyRef")) {
                        requireKey(missing, where, "Secret", from.at("/secretKeyRef/name").asText(),
                                from.at("/secretKeyRef/key").asText());
                    }
                }
                List<String> volumes = new ArrayList<>();
                pod.path("volumes").forEach(volume -> volumes.add(volume.path("name").asText()));
                workload.at("/spec/volumeClaimTemplates").forEach(claim -> volumes.add(claim.at("/metadata/name")
                        .asText()));
                for (JsonNode mount : container.path("volumeMounts")) {
                    assertThat(volumes).as("%s mounts %s", where, mount).contains(mount.path("name").asText());
                }
            }
            if (pod.has("serviceAccountName")) {
                assertThat(base.find("ServiceAccount", pod.path("serviceAccountName").asText())).as(where).isPresent();
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyContainerHasResourceRequestsAndLimitsAndAPinnedImage() {
        for (JsonNode workload : base.ofKind(WORKLOADS.toArray(String[]::new))) {
            for (JsonNode container : Kustomization.containers(Kustomization.podTemplate(workload).path("spec"))) {
                String where = Kustomization.name(workload) + " container " + container.path("name").asText();
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertThat(container.path("resources").path(kind).path(resource).asText())
                                .as("%s: resources.%s.%s", where, kind, resource).isNotEmpty();
                    }
                }
                ComposeFileTest.assertPinned(where, container.path("image").asText());
            }
        }
        for (JsonNode image : base.kustomization.path("images")) {
            assertThat(image.path("newTag").asText()).as("kustomization image %s", image).isNotEmpty()
                    .isNotEqualTo("latest");
        }
    }

    @Test
    void disruptionBudgetsSelectAWorkload() {
        List<JsonNode> budgets = base.ofKind("PodDisruptionBudget");
        assertThat(budgets).extracting(budget -> budget.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("aima-streams-app", "aima-connect");
        for (JsonNode budget : budgets) {
            Map<String, String> selector = Kustomization.labels(budget.at("/spec/selector/matchLabels"));
            assertThat(base.ofKind("Deployment", "StatefulSet")).as("workload of %s", Kustomization.name(budget))
                    .anyMatch(workload -> Kustomization.labels(Kustomization.podTemplate(workload)
                            .at("/metadata/labels")).entrySet().containsAll(selector.entrySet())
                            && workload.at("/spec/replicas").asInt() >= 2);
        }
    }

    @Test
    void collectorDaemonSetRunsOnGpuNodesWithWhatItsSourcesNeed() {
        JsonNode daemonSet = base.find("DaemonSet", "aima-collector").orElseThrow();
        JsonNode pod = Kustomization.podTemplate(daemonSet);
        JsonNode spec = pod.path("spec");
        assertThat(spec.at("/nodeSelector").path("nvidia.com/gpu.present").asText()).isEqualTo("true");
        assertThat(spec.path("runtimeClassName").asText()).isEqualTo("nvidia");
        assertThat(spec.path("hostPID").asBoolean()).isTrue();
        JsonNode container = spec.path("containers").get(0);
        Map<String, String> environment = base.environment(container);
        assertThat(environment).containsEntry("NODE_NAME", "<spec.nodeName>");

        Path config = mountedConfigFile(container, spec, "/etc/aima/collector.yaml");
        assertThat(AppConfigs.collectorProblems("k8s/base/config/collector.yaml", config, environment)).isEmpty();
        CollectorConfig settings = AppConfigs.collector(config, environment);
        assertThat(settings.kubernetes().enabled()).isEqualTo(CollectorConfig.KubernetesMode.ON);
        int port = containerPort(container, "http");
        assertThat(settings.http().port()).isEqualTo(port);
        assertThat(pod.at("/metadata/annotations").path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(pod.at("/metadata/annotations").path("prometheus.io/port").asText())
                .isEqualTo(String.valueOf(port));
        assertThat(pod.at("/metadata/annotations").path("prometheus.io/path").asText()).isEqualTo("/metrics");
        assertMountedVolume(container, settings.stateDir().toString());
        Path keyFile = settings.labels().hmacKeyFile();
        JsonNode keyMount = mountAt(container, keyFile.getParent().toString());
        String secretName = volume(spec, keyMount.path("name").asText()).at("/secret/secretName").asText();
        assertThat(base.secrets.get(secretName)).containsKey(keyFile.getFileName().toString());
        assertThat(base.secrets.get(secretName).get(keyFile.getFileName().toString()).getBytes().length)
                .as("an HMAC key has at least 16 bytes").isGreaterThanOrEqualTo(16);

        JsonNode role = base.find("ClusterRole", "aima-collector").orElseThrow();
        assertThat(role.at("/rules/0/resources").toString()).contains("pods");
        assertThat(role.at("/rules/0/verbs").toString()).contains("list");
        JsonNode binding = base.find("ClusterRoleBinding", "aima-collector").orElseThrow();
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo("aima-collector");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(spec.path("serviceAccountName").asText());
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(base.kustomization.path("namespace")
                .asText());
    }

    @Test
    void streamsAppStatefulSetReadsItsConfig() {
        JsonNode statefulSet = base.find("StatefulSet", "aima-streams-app").orElseThrow();
        JsonNode spec = Kustomization.podTemplate(statefulSet).path("spec");
        assertThat(statefulSet.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode headless = base.find("Service", statefulSet.at("/spec/serviceName").asText()).orElseThrow();
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");

        JsonNode container = spec.path("containers").get(0);
        Map<String, String> environment = base.environment(container);
        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(Kustomization.expand(arg.asText(), environment)));
        assertThat(args.subList(0, 2)).containsExactly("--config", "/etc/aima/streams-app.properties");
        Map<String, String> settings = new LinkedHashMap<>(Repository.properties(
                mountedConfigFile(container, spec, args.get(1))));
        for (int i = 2; i < args.size(); i += 2) {
            assertThat(args.get(i)).isEqualTo("-s");
            String[] pair = args.get(i + 1).split("=", 2);
            settings.put(pair[0], pair[1]);
        }
        assertThat(AppConfigs.streamsAppProblems("k8s streams-app", settings,
                path -> mountedConfigFile(container, spec, path), environment)).isEmpty();
        // application.server is the API's advertised host and port: the pod's name under the headless Service
        assertThat(settings).doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);
        assertThat(settings.get(ApiConfig.ADVERTISED_HOST_CONFIG))
                .isEqualTo("<metadata.name>." + headless.at("/metadata/name").asText());
        assertThat(settings.get(ApiConfig.PORT_CONFIG)).isEqualTo(String.valueOf(containerPort(container, "api")));
        assertThat(settings.get("aima.health.port")).isEqualTo(String.valueOf(containerPort(container, "http")));
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");

        String stateDir = settings.get(StreamsConfig.STATE_DIR_CONFIG);
        JsonNode stateMount = mountAt(container, stateDir);
        assertThat(statefulSet.at("/spec/volumeClaimTemplates").findValuesAsText("name"))
                .contains(stateMount.path("name").asText());
    }

    @Test
    void connectWorkersAndConnectorsReadTheirConfigs() {
        JsonNode deployment = base.find("Deployment", "aima-connect").orElseThrow();
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode spec = Kustomization.podTemplate(deployment).path("spec");
        JsonNode container = spec.path("containers").get(0);
        Map<String, String> environment = base.environment(container);
        Path workerFile = mountedConfigFile(container, spec, container.at("/args/0").asText());
        Map<String, String> worker = Repository.properties(workerFile);
        List<String> problems = new ArrayList<>(AppConfigs.workerProblems("k8s connect-distributed.properties",
                AppConfigs.resolveEnv(worker, environment)));
        worker.values().forEach(value -> AppConfigs.ENV_REFERENCE.matcher(value).results().forEach(match -> {
            if (!environment.containsKey(match.group(1))) {
                problems.add("k8s connect-distributed.properties: ${env:" + match.group(1) + "} is not set.");
            }
        }));
        assertThat(worker.get("listeners")).endsWith(":" + containerPort(container, "rest"));

        JsonNode loader = base.find("Job", "aima-connectors-load").orElseThrow();
        JsonNode loaderContainer = Kustomization.podTemplate(loader).at("/spec/containers/0");
        Endpoint connect = Endpoint.parse(base.environment(loaderContainer).get("CONNECT_URL"));
        JsonNode service = base.find("Service", connect.host()).orElseThrow();
        assertThat(service.at("/spec/ports").findValuesAsText("port")).contains(String.valueOf(connect.port()));
        assertThat(Repository.text(Repository.file("k8s/base/connect/load-connectors.sh")))
                .as("the Job's loader is the Compose one").isEqualTo(Repository.text(
                        Repository.file("deploy/connect/load-connectors.sh")));

        for (Map.Entry<String, Path> file : base.configMapFiles.get("aima-connectors").entrySet()) {
            if (!file.getKey().endsWith(".json")) {
                continue;
            }
            String name = file.getKey().replace(".json", "");
            Map<String, String> config = Repository.stringMap(Repository.json(file.getValue()));
            ComposeAppConfigTest.assertCommonConnectorSettings(name, config);
            Set<String> composeKeys = new HashSet<>(Repository.stringMap(Repository.json(
                    Repository.file("deploy/connect/" + file.getKey()))).keySet());
            composeKeys.remove("errors.deadletterqueue.topic.replication.factor");
            assertThat(config.keySet()).as("keys of %s in Kubernetes and Compose", name)
                    .containsExactlyInAnyOrderElementsOf(composeKeys);
            problems.addAll(AppConfigs.connectorProblems("k8s/base/connect/" + file.getKey(), config, environment));
        }
        assertThat(problems).isEmpty();
    }

    private void requireKey(List<String> missing, String where, String kind, String name, String key) {
        Map<String, ?> keys = kind.equals("ConfigMap") ? base.configMaps.get(name) : base.secrets.get(name);
        if (keys == null) {
            missing.add(where + ": " + kind + " " + name + " does not exist.");
        } else if (key != null && !keys.containsKey(key)) {
            missing.add(where + ": " + kind + " " + name + " has no key " + key + ".");
        }
    }

    /** The repository file behind a container path that a ConfigMap volume provides. */
    private Path mountedConfigFile(JsonNode container, JsonNode podSpec, String containerPath) {
        for (JsonNode mount : container.path("volumeMounts")) {
            String mountPath = mount.path("mountPath").asText();
            String key;
            if (mount.has("subPath") && containerPath.equals(mountPath)) {
                key = mount.path("subPath").asText();
            } else if (!mount.has("subPath") && containerPath.startsWith(mountPath + "/")) {
                key = containerPath.substring(mountPath.length() + 1);
            } else {
                continue;
            }
            JsonNode volume = volume(podSpec, mount.path("name").asText());
            if (volume.has("configMap")) {
                Path file = base.configMapFiles.getOrDefault(volume.at("/configMap/name").asText(), Map.of()).get(key);
                assertThat(file).as("%s in ConfigMap %s", key, volume.at("/configMap/name").asText()).isNotNull();
                return file;
            }
        }
        throw new AssertionError("No ConfigMap is mounted at " + containerPath + ".");
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError("No volume " + name + ".");
    }

    private static JsonNode mountAt(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                return mount;
            }
        }
        throw new AssertionError("Nothing is mounted at " + path + " in container " + container.path("name") + ".");
    }

    private static void assertMountedVolume(JsonNode container, String path) {
        mountAt(container, path);
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("No port named " + name + " on container " + container.path("name") + ".");
    }
}
