package com.aima.metrics.testing;

import com.aima.metrics.devstack.ApicurioRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real Schema Registry: Apicurio with its Confluent-compatible API and BACKWARD compatibility, as a
 * child process on a free port with an in-memory database, started on first use and shared by every test class of the
 * JVM until the run ends. Inject it as a {@link SchemaRegistry} parameter. Its log goes to
 * {@code target/apicurio-<pid>.log}.
 */
public final class SchemaRegistryExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SchemaRegistryExtension.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SchemaRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return registry(context);
    }

    /** The JVM's shared registry, started on first call. */
    public static SchemaRegistry registry(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningRegistry.class, key -> RunningRegistry.start(), RunningRegistry.class)
                .registry();
    }

    private record RunningRegistry(ApicurioRegistry process, SchemaRegistry registry) implements AutoCloseable {

        static RunningRegistry start() {
            Path log = Path.of("target", "apicurio-" + ProcessHandle.current().pid() + ".log");
            ApicurioRegistry process = ApicurioRegistry.start(ApicurioRegistry.locateHome(), 0, null, log,
                    START_TIMEOUT);
            return new RunningRegistry(process,
                    new SchemaRegistry(process.baseUrl(), process.confluentApiUrl()));
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
