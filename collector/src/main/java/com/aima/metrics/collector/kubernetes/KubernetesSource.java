package com.aima.metrics.collector.kubernetes;

import com.aima.metrics.collector.MetricSource;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pods of this Kubernetes node through the API server (seed 004 section 2.3): pods per phase every 30 s
 * ({@code kubernetes_pods{phase=...}}, every phase reported, 0 included, so a series does not vanish) and running
 * containers every minute. Needs {@code list} on pods cluster-wide (the node's pods are selected with the field
 * selector {@code spec.nodeName}).
 */
public final class KubernetesSource implements MetricSource {

    public static final String PODS = "kubernetes_pods";
    public static final String CONTAINERS = "kubernetes_containers_running";
    static final List<String> PHASES = List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");
    private static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private final KubernetesClient client;
    private final String nodeName;
    private final Source source;

    public KubernetesSource(KubernetesClient client, String nodeName, String host, String collectorId) {
        this.client = client;
        this.nodeName = nodeName;
        this.source = Source.newBuilder().setHost(host).setCollectorId(collectorId).setKind(SourceKind.SYSTEM).build();
    }

    /** Whether this process runs in a Kubernetes pod with a service account mounted. */
    public static boolean inCluster() {
        return System.getenv("KUBERNETES_SERVICE_HOST") != null && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public Map<String, Duration> defaultIntervals() {
        Map<String, Duration> intervals = new LinkedHashMap<>();
        intervals.put(PODS, Duration.ofSeconds(30));
        intervals.put(CONTAINERS, Duration.ofMinutes(1));
        return intervals;
    }

    @Override
    public List<MetricEvent> sample(Set<String> metrics, Instant now) {
        List<Pod> pods = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems()
                .stream().filter(pod -> pod.getSpec() != null && nodeName.equals(pod.getSpec().getNodeName()))
                .toList();
        List<MetricEvent> events = new ArrayList<>();
        if (metrics.contains(PODS)) {
            Map<String, Integer> byPhase = new LinkedHashMap<>();
            PHASES.forEach(phase -> byPhase.put(phase, 0));
            for (Pod pod : pods) {
                String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Unknown"
                        : pod.getStatus().getPhase();
                byPhase.merge(PHASES.contains(phase) ? phase : "Unknown", 1, Integer::sum);
            }
            byPhase.forEach((phase, count) -> events.add(event(PODS, count, Map.of("node", nodeName, "phase", phase),
                    now)));
        }
        if (metrics.contains(CONTAINERS)) {
            long running = pods.stream().filter(pod -> pod.getStatus() != null)
                    .flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
                    .map(ContainerStatus::getState).filter(state -> state != null && state.getRunning() != null)
                    .count();
            events.add(event(CONTAINERS, running, Map.of("node", nodeName), now));
        }
        return events;
    }

    private MetricEvent event(String name, double value, Map<String, String> labels, Instant now) {
        return MetricEvent.newBuilder().setName(name).setUnit("count").setValue(value).setEventTime(now)
                .setLabels(labels).setSource(source).build();
    }

    @Override
    public void close() {
        client.close();
    }
}
