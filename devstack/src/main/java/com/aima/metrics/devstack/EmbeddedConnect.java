package com.aima.metrics.devstack;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real Kafka Connect worker in this JVM: Connect's standalone herder (the code path of {@code connect-standalone.sh})
 * with plugins found on the class path by {@code plugin.discovery=service_load} (a plugin ships
 * {@code META-INF/services/org.apache.kafka.connect.sink.SinkConnector}; the worker starts in about 3 s instead of
 * 8-17 s of class-path scanning) and its REST API on a free port of 127.0.0.1. For the local run and the tests; needs
 * {@code org.apache.kafka:connect-runtime} on the class path (an optional dependency of this module).
 */
public final class EmbeddedConnect implements AutoCloseable {

    /** Connect's converter for bytes as they are; the project's connectors decode Avro themselves. */
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final long CREATE_TIMEOUT_SECONDS = 30;

    private final Connect<StandaloneHerder> connect;

    private EmbeddedConnect(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /**
     * Starts a worker against {@code bootstrapServers}. Defaults: byte-array key and value converters (connectors set
     * their own), offsets committed every second, source offsets in {@code offsetsFile}; {@code overrides} replaces
     * any of them or adds worker settings.
     *
     * @throws IllegalStateException if the worker does not start: Connect's own exit on a failed start is turned into
     *                               this exception instead of ending the JVM
     */
    public static EmbeddedConnect start(String bootstrapServers, Path offsetsFile, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("plugin.discovery", "service_load");
        config.put("listeners", "http://127.0.0.1:0");
        config.put("key.converter", BYTE_ARRAY_CONVERTER);
        config.put("value.converter", BYTE_ARRAY_CONVERTER);
        config.put("offset.storage.file.filename", offsetsFile.toString());
        config.put("offset.flush.interval.ms", "1000");
        config.putAll(overrides);

        // Connect swaps the thread's context class loader and calls Exit.exit on a failed start; neither may leak.
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("The Connect worker did not start (exit status " + status + "): "
                    + message + "; see the log above.");
        });
        try {
            return new EmbeddedConnect(new ConnectStandalone().startConnect(config));
        } finally {
            Exit.resetExitProcedure();
            thread.setContextClassLoader(loader);
        }
    }

    /** The REST API's root, for example {@code http://127.0.0.1:40123/}. */
    public URI restUrl() {
        String url = connect.rest().serverUrl().toString();
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    /**
     * Creates (or replaces) connector {@code name} with {@code config} and waits until the worker accepted it.
     *
     * @throws IllegalStateException naming the connector and Connect's reason when it refused the configuration
     */
    public void putConnector(String name, Map<String, String> config) {
        FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        Map<String, String> named = new HashMap<>(config);
        named.put("name", name);
        connect.herder().putConnectorConfig(name, named, true, created);
        try {
            created.get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Connector " + name + " was refused: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Connector " + name + " was not created within "
                    + CREATE_TIMEOUT_SECONDS + " s.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating connector " + name + ".", e);
        }
    }

    /** Stops every connector and task (committing sink offsets, as a worker shut down cleanly does) and the worker. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
