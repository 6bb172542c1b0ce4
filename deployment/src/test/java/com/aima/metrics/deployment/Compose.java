package com.aima.metrics.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Compose file as {@code docker compose} reads it without a {@code .env} file: every {@code ${VAR:-default}} is
 * replaced by its default (recorded in {@link #variables()}), {@code $$} by {@code $}. Short and long syntax of ports,
 * volumes, environment and depends_on are both understood.
 */
final class Compose {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");

    private final Map<String, String> variables = new TreeMap<>();
    private final JsonNode root;

    private Compose(JsonNode parsed) {
        this.root = interpolate(parsed);
    }

    static Compose read(String relativePath) {
        return new Compose(Repository.yaml(Repository.file(relativePath)));
    }

    /** Every variable the file interpolates, with its default ({@code ""} when it has none). */
    Map<String, String> variables() {
        return variables;
    }

    JsonNode root() {
        return root;
    }

    Map<String, JsonNode> services() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        root.path("services").fields().forEachRemaining(entry -> services.put(entry.getKey(), entry.getValue()));
        return services;
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("No service '" + name + "' in the Compose file.");
        }
        return service;
    }

    /** A one-shot service runs to completion ({@code restart: "no"}); every other service is long-running. */
    static boolean oneShot(JsonNode service) {
        return "no".equals(service.path("restart").asText(null));
    }

    static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(entry -> environment.put(entry.getKey(),
                    entry.getValue().isNull() ? "" : entry.getValue().asText()));
        } else if (node.isArray()) {
            node.forEach(item -> {
                String[] pair = item.asText().split("=", 2);
                environment.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        }
        return environment;
    }

    /** The names of the services {@code service} depends on, with their conditions. */
    static Map<String, String> dependsOn(JsonNode service) {
        Map<String, String> dependencies = new LinkedHashMap<>();
        JsonNode node = service.path("depends_on");
        if (node.isArray()) {
            node.forEach(item -> dependencies.put(item.asText(), "service_started"));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(entry -> dependencies.put(entry.getKey(),
                    entry.getValue().path("condition").asText("service_started")));
        }
        return dependencies;
    }

    /** A published port: host side and container side. */
    record Port(String hostIp, int published, int target) {
    }

    static List<Port> ports(JsonNode service) {
        List<Port> ports = new ArrayList<>();
        for (JsonNode item : service.path("ports")) {
            if (item.isObject()) {
                ports.add(new Port(item.path("host_ip").asText(""), item.path("published").asInt(),
                        item.path("target").asInt()));
                continue;
            }
            String[] parts = item.asText().replace("/tcp", "").split(":");
            if (parts.length == 1) {
                ports.add(new Port("", 0, Integer.parseInt(parts[0])));
            } else if (parts.length == 2) {
                ports.add(new Port("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            } else {
                ports.add(new Port(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            }
        }
        return ports;
    }

    /** Ports the service's containers listen on, as far as the file says: targets of {@code ports} and {@code expose}. */
    static List<Integer> containerPorts(JsonNode service) {
        List<Integer> ports = new ArrayList<>(ports(service).stream().map(Port::target).toList());
        service.path("expose").forEach(item -> ports.add(Integer.parseInt(item.asText().replace("/tcp", ""))));
        return ports;
    }

    /** A mount: a relative host path (bind) or a named volume, and where it goes in the container. */
    record Mount(String source, String target, boolean bind) {
    }

    static List<Mount> mounts(JsonNode service) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode item : service.path("volumes")) {
            if (item.isObject()) {
                mounts.add(new Mount(item.path("source").asText(), item.path("target").asText(),
                        "bind".equals(item.path("type").asText())));
                continue;
            }
            String[] parts = item.asText().split(":");
            String source = parts[0];
            mounts.add(new Mount(source, parts[1], source.startsWith(".") || source.startsWith("/")));
        }
        return mounts;
    }

    /** The host file or directory mounted at {@code containerPath} (or at a directory above it), if bind-mounted. */
    static Optional<Path> hostPathOf(JsonNode service, String containerPath) {
        for (Mount mount : mounts(service)) {
            if (!mount.bind()) {
                continue;
            }
            if (containerPath.equals(mount.target())) {
                return Optional.of(Repository.root().resolve(mount.source()).normalize());
            }
            if (containerPath.startsWith(mount.target() + "/")) {
                return Optional.of(Repository.root().resolve(mount.source())
                        .resolve(containerPath.substring(mount.target().length() + 1)).normalize());
            }
        }
        return Optional.empty();
    }

    private JsonNode interpolate(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                entry.setValue(interpolate(entry.getValue()));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, interpolate(array.get(i)));
            }
        }
        return node;
    }

    private String interpolate(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = matcher.group(3) == null ? "" : matcher.group(3);
                variables.put(matcher.group(1), value);
                replacement = value;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
