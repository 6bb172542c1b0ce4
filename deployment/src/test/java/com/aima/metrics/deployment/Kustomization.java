package com.aima.metrics.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Kustomize directory as {@code kubectl apply -k} reads it, as far as these tests need: the resources' documents,
 * the generated ConfigMaps with their keys and the files behind them, and the Secrets of the resources.
 */
final class Kustomization {

    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    final Path directory;
    final JsonNode kustomization;
    final List<JsonNode> documents = new ArrayList<>();
    /** Generated ConfigMaps: name, then key and the file (or env file line) it comes from. */
    final Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    final Map<String, Map<String, Path>> configMapFiles = new LinkedHashMap<>();
    final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();

    Kustomization(Path directory) {
        this.directory = directory;
        this.kustomization = Repository.yaml(directory.resolve("kustomization.yaml"));
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = directory.resolve(resource.asText());
            if (Files.isRegularFile(file)) {
                documents.addAll(Repository.yamlDocuments(file));
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            String name = generator.path("name").asText();
            Map<String, String> data = configMaps.computeIfAbsent(name, n -> new LinkedHashMap<>());
            Map<String, Path> files = configMapFiles.computeIfAbsent(name, n -> new LinkedHashMap<>());
            for (JsonNode env : generator.path("envs")) {
                data.putAll(ComposeFileTest.envFile(directory.resolve(env.asText())));
            }
            for (JsonNode fileEntry : generator.path("files")) {
                Path file = directory.resolve(fileEntry.asText());
                data.put(file.getFileName().toString(), Repository.text(file));
                files.put(file.getFileName().toString(), file);
            }
        }
        for (JsonNode document : documents) {
            if ("Secret".equals(document.path("kind").asText())) {
                Map<String, String> data = new LinkedHashMap<>();
                document.path("stringData").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
                document.path("data").fieldNames().forEachRemaining(key -> data.put(key, "<data>"));
                secrets.put(document.path("metadata").path("name").asText(), data);
            }
        }
    }

    /** Every file the kustomization names: resources and generator inputs, relative to its directory. */
    List<String> referencedFiles() {
        List<String> files = new ArrayList<>();
        kustomization.path("resources").forEach(node -> files.add(node.asText()));
        for (String generators : List.of("configMapGenerator", "secretGenerator")) {
            for (JsonNode generator : kustomization.path(generators)) {
                generator.path("files").forEach(node -> files.add(node.asText()));
                generator.path("envs").forEach(node -> files.add(node.asText()));
            }
        }
        kustomization.path("patches").forEach(node -> {
            if (node.has("path")) {
                files.add(node.path("path").asText());
            }
        });
        return files;
    }

    /** Every file in the directory tree except kustomization.yaml, relative to it, with / separators. */
    List<String> filesOnDisk() {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).map(file -> directory.relativize(file).toString()
                    .replace('\\', '/')).filter(name -> !name.equals("kustomization.yaml")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    List<JsonNode> ofKind(String... kinds) {
        List<String> wanted = List.of(kinds);
        return documents.stream().filter(document -> wanted.contains(document.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return documents.stream().filter(document -> kind.equals(document.path("kind").asText())
                && name.equals(document.path("metadata").path("name").asText())).findFirst();
    }

    static String name(JsonNode document) {
        return document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
    }

    /** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job). */
    static JsonNode podTemplate(JsonNode workload) {
        return workload.path("spec").path("template");
    }

    static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec.path("initContainers").forEach(containers::add);
        podSpec.path("containers").forEach(containers::add);
        return containers;
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /**
     * The environment a container gets, with values from the ConfigMaps and Secrets of this kustomization; downward
     * API fields become placeholders ({@code <metadata.name>}).
     */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                environment.putAll(configMaps.getOrDefault(from.path("configMapRef").path("name").asText(), Map.of()));
            }
            if (from.has("secretRef")) {
                environment.putAll(secrets.getOrDefault(from.path("secretRef").path("name").asText(), Map.of()));
            }
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode from = variable.path("valueFrom");
            if (variable.has("value")) {
                environment.put(name, expand(variable.path("value").asText(), environment));
            } else if (from.has("configMapKeyRef")) {
                putIfPresent(environment, name, configMaps.getOrDefault(from.at("/configMapKeyRef/name").asText(),
                        Map.of()).get(from.at("/configMapKeyRef/key").asText()));
            } else if (from.has("secretKeyRef")) {
                putIfPresent(environment, name, secrets.getOrDefault(from.at("/secretKeyRef/name").asText(),
                        Map.of()).get(from.at("/secretKeyRef/key").asText()));
            } else if (from.has("fieldRef")) {
                environment.put(name, "<" + from.at("/fieldRef/fieldPath").asText() + ">");
            }
        }
        return environment;
    }

    /** A reference to a missing key leaves the variable unset (the kubelet refuses to start such a pod). */
    private static void putIfPresent(Map<String, String> environment, String name, String value) {
        if (value != null) {
            environment.put(name, value);
        }
    }

    /** {@code $(NAME)} references in a command argument, expanded as the kubelet does. */
    static String expand(String text, Map<String, String> environment) {
        Matcher matcher = VARIABLE_REFERENCE.matcher(text);
        return matcher.replaceAll(match -> Matcher.quoteReplacement(environment.getOrDefault(match.group(1),
                match.group())));
    }
}
