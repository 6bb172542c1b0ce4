package com.aima.metrics.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real Schema Registry: Apicurio with its Confluent-compatible API and BACKWARD compatibility, as a
 * child process on a free port with an in-memory database, started on first use and shared by every test class of the
 * JVM until the run ends. Inject it as a {@link SchemaRegistry} parameter.
 */
public final class SchemaRegistryExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SchemaRegistryExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SchemaRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return registry(context);
    }

    /** The JVM's shared registry, started on first call and closed by JUnit when the run ends. */
    public static SchemaRegistry registry(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SchemaRegistry.class, key -> SchemaRegistry.start(), SchemaRegistry.class);
    }
}
