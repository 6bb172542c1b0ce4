package com.aima.metrics.streams;

import com.aima.metrics.TopicProvisioner;
import com.aima.metrics.Topics;
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
}
