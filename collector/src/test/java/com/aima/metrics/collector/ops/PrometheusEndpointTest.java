package com.aima.metrics.collector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {

    @Test
    void servesGpuReadingsUnderDcgmExporterNamesAndTheCollectorsHealth() throws Exception {
        PrometheusEndpoint endpoint = new PrometheusEndpoint();
        endpoint.counter("spooled_records", "Records written to the spool.", () -> 42);
        endpoint.gauge("spool_depth_records", "Records waiting in the spool.", () -> 7);
        Map<String, String> gpu = Map.of("gpu", "1", "gpu_uuid", "GPU-abc", "gpu_model", "NVIDIA H100", "node", "n1");
        endpoint.record(List.of(event("gpu_utilization_percent", 87, gpu), event("gpu_memory_used_bytes", 3 << 20, gpu),
                event("gpu_energy_joules_total", 12.5, gpu), event("gpu_tensor_active_percent", 40, gpu),
                event("host_cpu_utilization_percent", 5, Map.of("node", "n1"))));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", endpoint.handler());
        server.start();
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            String labels = "{GPU_I_ID=\"\",Hostname=\"n1\",UUID=\"GPU-abc\",device=\"nvidia1\",gpu=\"1\","
                    + "modelName=\"NVIDIA H100\"}";
            assertThat(body).contains("DCGM_FI_DEV_GPU_UTIL" + labels + " 87.0")
                    .contains("DCGM_FI_DEV_FB_USED" + labels + " 3.0")
                    .contains("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION" + labels + " 12500.0")
                    .contains("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE" + labels + " 0.4")
                    .contains("aima_collector_spooled_records_total 42.0")
                    .contains("aima_collector_spool_depth_records 7.0")
                    .doesNotContain("host_cpu");
        } finally {
            server.stop(0);
        }
    }

    private static MetricEvent event(String name, double value, Map<String, String> labels) {
        return MetricEvent.newBuilder().setName(name).setUnit("x").setValue(value).setEventTime(Instant.now())
                .setLabels(labels)
                .setSource(Source.newBuilder().setHost("n1").setCollectorId("c").setKind(SourceKind.GPU).build())
                .build();
    }
}
