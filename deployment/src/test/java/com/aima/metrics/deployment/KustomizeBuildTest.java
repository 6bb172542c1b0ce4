package com.aima.metrics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the base and the dev overlay with the real Kustomize of {@code kubectl kustomize} where kubectl is
 * installed (skipped elsewhere): the kustomization builds, and every ConfigMap a workload names exists under its
 * generated, hash-suffixed name.
 */
class KustomizeBuildTest {

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev"})
    void kustomizationBuilds(String directory) throws Exception {
        Path kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        Path output = Files.createTempFile("kustomize", ".yaml");
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", Repository.file(directory).toString())
                    .redirectOutput(output.toFile()).redirectErrorStream(false).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("kubectl kustomize %s: %s", directory, errors).isZero();
            List<JsonNode> documents = Repository.yamlDocuments(output);
            Set<String> configMaps = new HashSet<>();
            Set<String> namespaces = new HashSet<>();
            for (JsonNode document : documents) {
                if ("ConfigMap".equals(document.path("kind").asText())) {
                    configMaps.add(document.at("/metadata/name").asText());
                }
                if (document.at("/metadata/namespace").isTextual()) {
                    namespaces.add(document.at("/metadata/namespace").asText());
                }
            }
            assertThat(namespaces).containsExactly("aima");
            List<String> referenced = new ArrayList<>();
            for (JsonNode document : documents) {
                document.findValues("configMapRef").forEach(ref -> referenced.add(ref.path("name").asText()));
                document.findValues("configMapKeyRef").forEach(ref -> referenced.add(ref.path("name").asText()));
                document.findValues("configMap").forEach(ref -> referenced.add(ref.path("name").asText()));
            }
            assertThat(referenced).isNotEmpty();
            assertThat(configMaps).containsAll(referenced);
            assertThat(referenced).allMatch(name -> name.matches(".*-[a-z0-9]{10}"), "generated, hash-suffixed");
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path onPath(String command) throws IOException {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
