package com.aima.metrics.streams;

import com.aima.metrics.TopicProvisioner;
import com.aima.metrics.Topics;
import com.aima.metrics.api.ApiConfig;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/** The settings every IT gives {@link StreamsApp#start}: the real broker and registry, its own id and state. */
public final class StreamsTestSettings {

    private StreamsTestSettings() {
    }

    /**
     * A mutable map the test adds its own keys to: serde settings, bootstrap servers, {@code applicationId}, the
     * state directory, a 6 s session time-out (a restarted member rejoins quickly) and {@code partitions} partitions
     * of replication 1 for the topics the application creates.
     */
    public static Map<String, Object> of(KafkaBroker kafka, SchemaRegistry registry, String applicationId,
                                         Path stateDir, int partitions) {
        Map<String, Object> settings = new HashMap<>(registry.serdeConfig());
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put("session.timeout.ms", "6000");
        settings.put(StreamsApp.TOPIC_PARTITIONS_CONFIG, Integer.toString(partitions));
        settings.put(StreamsApp.TOPIC_REPLICATION_CONFIG, "1");
        return settings;
    }

    /**
     * Deletes every pipeline topic an earlier test of the JVM left and creates them again with {@code partitions}
     * partitions of replication 1, so that a test sees only its own records and a known partition count.
     */
    public static void recreateTopics(KafkaBroker kafka, int partitions) throws InterruptedException {
        kafka.deleteTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, Topics.ALL, partitions, (short) 1);
        }
    }

    /** Adds the REST API on a free port of 127.0.0.1, advertised there, with the security file {@code security}. */
    public static Map<String, Object> withApi(Map<String, Object> settings, Path security) {
        settings.put(ApiConfig.PORT_CONFIG, "0");
        settings.put(ApiConfig.BIND_ADDRESS_CONFIG, "127.0.0.1");
        settings.put(ApiConfig.ADVERTISED_HOST_CONFIG, "127.0.0.1");
        settings.put(ApiConfig.SECURITY_FILE_CONFIG, security.toString());
        return settings;
    }

    /**
     * Adds a cost engine for inputs hours in the past that arrive within a second, through two repartition topics
     * whose records may be processed in either order: a settle of 1 h lets no hour close and no job be charged before
     * everything is in; then the idle clock (wall clock minus 2 s, hours after the inputs) closes them all at once.
     */
    public static Map<String, Object> withCostsOfPastInputs(Map<String, Object> settings, Path catalog) {
        settings.put(CostConfig.CATALOG_FILE_CONFIG, catalog.toString());
        settings.put(CostConfig.SETTLE_CONFIG, "1h");
        settings.put(CostConfig.IDLE_TIMEOUT_CONFIG, "2s");
        settings.put(CostConfig.PUNCTUATE_INTERVAL_CONFIG, "500ms");
        return settings;
    }
}
