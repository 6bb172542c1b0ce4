package com.aima.metrics.serde;

import java.io.Closeable;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that an Avro serde needs. Implementations are thread-safe.
 */
public interface SchemaRegistryClient extends Closeable {

    /**
     * Registers {@code schema} under {@code subject} (a no-op if it is already there) and returns its id.
     *
     * @throws SchemaRegistryException if the registry rejects it ({@link SchemaRegistryException#isIncompatible()} for
     *                                 a schema that breaks the subject's compatibility rule) or cannot be reached
     */
    int register(String subject, Schema schema);

    /**
     * Returns the id of {@code schema} if it is registered under {@code subject}.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} if it is not, or if the
     *                                 registry cannot be reached
     */
    int lookup(String subject, Schema schema);

    /**
     * Returns the schema with registry id {@code id}.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} for an unknown id, or if the
     *                                 registry cannot be reached
     */
    Schema schemaById(int id);

    /** Where this client points, for messages: a URL or {@code mock://scope}. */
    String location();

    @Override
    default void close() {
    }
}
