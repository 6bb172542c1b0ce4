package com.aima.metrics.local;

import com.aima.metrics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates the pipeline's topics with their retention when they are missing; existing topics are left as they are. */
final class LocalTopics {

    private LocalTopics() {
    }

    static void ensure(String bootstrapServers, int partitions) throws InterruptedException {
        List<NewTopic> wanted = List.of(
                topic(Topics.METRICS_RAW, partitions, Topics.RAW_RETENTION),
                topic(Topics.JOBS, partitions, Topics.JOBS_RETENTION));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create the pipeline's topics: " + e.getCause(), e.getCause());
        }
    }

    private static NewTopic topic(String name, int partitions, Duration retention) {
        return new NewTopic(name, partitions, (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis())));
    }
}
