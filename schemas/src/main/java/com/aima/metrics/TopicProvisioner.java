package com.aima.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates missing topics with their retention. Existing topics are left as they are, whatever their settings. */
public final class TopicProvisioner {

    /** How long {@link #ensure} waits for the partitions it created to accept requests. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final long READY_POLL_MS = 50;

    private TopicProvisioner() {
    }

    /**
     * Creates those of {@code specs} that do not exist yet, and waits until every partition of them is served by its
     * leader. The controller acknowledges a new topic before its leader has applied it: a producer that writes at
     * once can be told the broker is no replica, and its idempotent retry of the first batch is then refused as out
     * of sequence for good (seen on a topic recreated under a name just deleted, in the ITs).
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
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
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

    /**
     * Waits until the leader of every partition of {@code topics} answers a request for its end offset, which it
     * refuses (not leader, unknown partition) until it has applied the topic.
     *
     * @throws IllegalStateException naming the topics when they are not served within {@link #READY_TIMEOUT}
     */
    static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().values().forEach(topic ->
                        topic.partitions().forEach(partition -> partitions.put(
                                new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("Cannot read the partitions of the new topics " + topics + ": "
                            + e.getCause(), e.getCause());
                }
                last = e.getCause();
            }
            Thread.sleep(READY_POLL_MS); // the broker applies the topic in milliseconds; nothing to be told of
        }
        throw new IllegalStateException("The new topics " + topics + " were not served by their leaders within "
                + READY_TIMEOUT + ": " + last);
    }
}
