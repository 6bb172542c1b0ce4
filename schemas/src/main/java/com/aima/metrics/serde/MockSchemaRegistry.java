package com.aima.metrics.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory schema registry for {@code TopologyTestDriver} and unit tests, selected with
 * {@code schema.registry.url=mock://<scope>}. Every serde configured with the same scope in one JVM shares it. It
 * applies BACKWARD compatibility against the subject's latest version, as a real registry configured so would.
 * Never use it outside tests: nothing is persisted.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final List<Schema> schemasById = new ArrayList<>();

    private MockSchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** The registry of {@code scope}, created empty on first use. */
    public static MockSchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, MockSchemaRegistry::new);
    }

    /** Forgets the registry of {@code scope}, so the next test starts from an empty one. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, key -> new ArrayList<>());
        if (versions.contains(schema)) {
            return schemasById.indexOf(schema) + 1;
        }
        if (!versions.isEmpty()) {
            Schema latest = versions.get(versions.size() - 1);
            var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest).getResult();
            if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SchemaRegistryException("Schema registry at " + location() + " refused registering schema "
                        + schema.getFullName() + " under subject '" + subject + "': HTTP 409, error code 409:"
                        + " incompatible with the latest version (BACKWARD): " + result.getIncompatibilities(),
                        SchemaRegistryException.CONFLICT, SchemaRegistryException.CONFLICT, null);
            }
        }
        versions.add(schema);
        int index = schemasById.indexOf(schema);
        if (index < 0) {
            schemasById.add(schema);
            index = schemasById.size() - 1;
        }
        return index + 1;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        if (!versionsBySubject.getOrDefault(subject, List.of()).contains(schema)) {
            throw new SchemaRegistryException("Schema registry at " + location() + " refused looking up schema "
                    + schema.getFullName() + " under subject '" + subject + "': HTTP 404, error code 40403: not found",
                    404, SchemaRegistryException.SCHEMA_NOT_FOUND, null);
        }
        return schemasById.indexOf(schema) + 1;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new SchemaRegistryException("Schema registry at " + location() + " refused fetching schema id " + id
                    + ": HTTP 404, error code 40403: not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND, null);
        }
        return schemasById.get(id - 1);
    }

    @Override
    public String location() {
        return AvroSerdeConfig.MOCK_URL_PREFIX + scope;
    }
}
