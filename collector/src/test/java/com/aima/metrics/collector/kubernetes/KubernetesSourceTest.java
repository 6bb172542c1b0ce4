package com.aima.metrics.collector.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.MetricEvent;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Against fabric8's in-process API server (real HTTP, real client), which answers the exact request a real API server
 * gets, the node's pods by field selector: no Kubernetes cluster can run on this machine, and the mock's CRUD mode
 * does not evaluate {@code spec.nodeName} selectors.
 */
@EnableKubernetesMockClient
class KubernetesSourceTest {

    KubernetesClient client;
    KubernetesMockServer server;
    private final List<Pod> pods = new ArrayList<>();

    @Test
    void countsThisNodesPodsPerPhaseAndItsRunningContainers() {
        create("ns-a", "worker-1", "gpu-node-1", "Running", 2, 1);
        create("ns-a", "worker-2", "gpu-node-1", "Pending", 0, 1);
        create("ns-b", "worker-3", "gpu-node-1", "Running", 1, 0);
        create("ns-b", "elsewhere", "gpu-node-2", "Running", 3, 0);
        // a pod of another node in the answer too: the source must not count it even if a server ignored the selector
        server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dgpu-node-1")
                .andReturn(200, new PodListBuilder().withItems(pods).build()).once();
        KubernetesSource source = new KubernetesSource(client, "gpu-node-1", "gpu-node-1", "c1");

        List<MetricEvent> events = source.sample(source.defaultIntervals().keySet(), Instant.now());

        Map<String, Double> pods = events.stream().filter(e -> e.getName().equals(KubernetesSource.PODS))
                .collect(Collectors.toMap(e -> e.getLabels().get("phase"), MetricEvent::getValue));
        assertThat(pods).containsExactlyInAnyOrderEntriesOf(
                Map.of("Running", 2.0, "Pending", 1.0, "Succeeded", 0.0, "Failed", 0.0, "Unknown", 0.0));
        assertThat(events).filteredOn(e -> e.getName().equals(KubernetesSource.CONTAINERS)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getValue()).isEqualTo(3.0);
                    assertThat(e.getLabels()).containsEntry("node", "gpu-node-1");
                });
    }

    private void create(String namespace, String name, String node, String phase, int running, int waiting) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).endStatus();
        for (int i = 0; i < running; i++) {
            pod.editStatus().addToContainerStatuses(new ContainerStatusBuilder().withName("run-" + i)
                    .withNewState().withNewRunning().endRunning().endState().build()).endStatus();
        }
        for (int i = 0; i < waiting; i++) {
            pod.editStatus().addToContainerStatuses(new ContainerStatusBuilder().withName("wait-" + i)
                    .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build())
                    .endStatus();
        }
        pods.add(pod.build());
    }
}
