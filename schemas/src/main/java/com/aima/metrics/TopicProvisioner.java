package com.aima.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates missing topics with their retention. Existing topics are left as they are, whatever their settings. */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /**
     * Creates those of {@code specs} that do not exist yet.
     *
     * @return the names of the topics created
     * @throws IllegalStateException naming the topics if the broker refuses to create them
     */
    public static List<String> ensure(Admin admin, Collection<Topics.TopicSpec> specs, int partitions,
                                      short replicationFactor) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), partitions, replicationFactor)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionMs()))))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return List.of(); // created concurrently by another instance
            }
            throw new IllegalStateException("Cannot create topics " + specs.stream().map(Topics.TopicSpec::name)
                    .toList() + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * The number of partitions of {@code topic}.
     *
     * @throws IllegalStateException naming the topic if it cannot be described
     */
    public static int partitions(Admin admin, String topic) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
        }
    }
}
