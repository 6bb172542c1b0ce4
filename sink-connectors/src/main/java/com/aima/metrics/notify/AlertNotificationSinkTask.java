package com.aima.metrics.notify;

import static com.aima.metrics.connect.SinkTaskContexts.closeQuietly;

import com.aima.metrics.connect.SinkTaskContexts;
import com.aima.metrics.schema.AlertEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alerts of {@code aima.alerts} to their channels. Each {@link #put} decodes the records, routes every
 * alert to its channels ({@link Router}), skips notifications already delivered ({@link DeliveredAlerts}), queues
 * the rest in per-channel groups ({@link Dispatcher}), sends the groups that are due, and asks Connect, through
 * {@code context.timeout}, to call {@code put} again (with no records if none came) by the time the next group or
 * retry is due; nothing sleeps. {@link #preCommit} lets Connect commit offsets only below the oldest record that still
 * has a notification to deliver or a mark to write ({@link OffsetTracker}). Records that are not AlertEvents, and
 * alerts a channel refused for good, go to the errant record reporter ({@link DeadLetters}).
 */
public class AlertNotificationSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(AlertNotificationSinkTask.class);

    private final Function<Map<String, String>, Map<String, Channel>> channelFactory;
    private final Function<NotificationSinkConfig, DeliveryLog> deliveryLogFactory;
    private final Clock clock;
    private final Set<String> unconfiguredWarned = new HashSet<>();

    private Map<String, Channel> channels = Map.of();
    private NotificationMetrics metrics;
    private DeadLetters deadLetters;
    private Router router;
    private OffsetTracker offsets;
    private AlertDecoder decoder;
    private DeliveredAlerts delivered;
    private Dispatcher dispatcher;
    private long registryRetryMs;

    /** The task Connect runs: the channels of {@link Channels#create}, marks in the de-duplication topic. */
    public AlertNotificationSinkTask() {
        this(Channels::create, KafkaDeliveryLog::open, Clock.systemUTC());
    }

    /** A task with other channels, for tests; marks in the de-duplication topic. */
    AlertNotificationSinkTask(Function<Map<String, String>, Map<String, Channel>> channelFactory) {
        this(channelFactory, KafkaDeliveryLog::open, Clock.systemUTC());
    }

    /** A task with other channels, another mark store and another clock, for tests. */
    AlertNotificationSinkTask(Function<Map<String, String>, Map<String, Channel>> channelFactory,
                              Function<NotificationSinkConfig, DeliveryLog> deliveryLogFactory, Clock clock) {
        this.channelFactory = channelFactory;
        this.deliveryLogFactory = deliveryLogFactory;
        this.clock = clock;
    }

    @Override
    public String version() {
        return AlertNotificationSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        NotificationSinkConfig config = new NotificationSinkConfig(props);
        metrics = new NotificationMetrics(SinkTaskContexts.pluginMetrics(context));
        deadLetters = new DeadLetters(SinkTaskContexts.errantRecordReporter(context), metrics);
        router = new Router(config.routes());
        offsets = new OffsetTracker();
        registryRetryMs = config.retryPolicy().initialBackoffMs();
        channels = byLowerCaseName(channelFactory.apply(props));
        decoder = new AlertDecoder(config.serdeConfig());
        delivered = new DeliveredAlerts(deliveryLogFactory.apply(config), config.dedupRetentionMs());
        int remembered = delivered.load(clock.millis());
        dispatcher = new Dispatcher(channels, config.groupWaitMs(), config.retryPolicy(), clock, new Outcomes());
        if (channels.isEmpty()) {
            log.warn("No notification channel is configured: every alert is read, counted and skipped.");
        }
        log.info("Alert notification task started: channels {}, {} route(s), grouping window {} ms, {} deliveries"
                + " remembered from '{}'.", channels.keySet(), config.routes().size(), config.groupWaitMs(),
                remembered, config.dedupTopic());
    }

    /**
     * @throws RetriableException when the schema registry cannot be reached; no record of the batch has been taken
     *                            then, and Connect hands the same batch again after the first retry backoff
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        long nowMs = clock.millis();
        delivered.runDurable();
        dispatcher.deliverDue(nowMs);
        List<Decoded> batch = decodeAll(records);
        for (Decoded decoded : batch) {
            if (decoded.error() != null) {
                offsets.seen(partition(decoded.record()), decoded.record().originalKafkaOffset());
                deadLetters.undecodable(decoded.record(), decoded.error());
            } else {
                accept(decoded.record(), decoded.alert(), nowMs);
            }
        }
        dispatcher.deliverDue(nowMs);
        delivered.runDurable();
        scheduleNextPut();
    }

    /** Offsets below the oldest record not yet delivered to every channel it is routed to, with its marks durable. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        delivered.flush();
        return offsets.committable(currentOffsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (dispatcher != null) {
            dispatcher.drop(partitions);
            offsets.forget(partitions);
        }
    }

    @Override
    public void stop() {
        channels.values().forEach(channel -> closeQuietly(channel, "channel '" + channel.name() + "'", log));
        closeQuietly(decoder, "record decoder", log);
        closeQuietly(delivered, "de-duplication log", log);
        log.info("Alert notification task stopped.");
    }

    private record Decoded(SinkRecord record, AlertEvent alert, DataException error) {
    }

    /** Decodes the whole batch before taking any of it, so that a {@link RetriableException} leaves nothing half done. */
    private List<Decoded> decodeAll(Collection<SinkRecord> records) {
        List<Decoded> batch = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            try {
                batch.add(new Decoded(record, decoder.decode(record), null));
            } catch (DataException e) {
                batch.add(new Decoded(record, null, e));
            } catch (RetriableException e) {
                log.warn("{} Retrying the batch of {} record(s) in {} ms.", e.getMessage(), records.size(),
                        registryRetryMs);
                context.timeout(registryRetryMs);
                throw e;
            }
        }
        return batch;
    }

    private void accept(SinkRecord record, AlertEvent alert, long nowMs) {
        TopicPartition partition = partition(record);
        long offset = record.originalKafkaOffset();
        if (offsets.isOutstanding(partition, offset)) {
            return; // read again while its notifications are still queued
        }
        offsets.seen(partition, offset);
        List<Notification> notifications = new ArrayList<>();
        for (String channel : router.channelsFor(alert)) {
            if (!dispatcher.hasChannel(channel)) {
                unconfigured(channel, alert);
                continue;
            }
            String key = DeliveredAlerts.key(alert, channel);
            if (delivered.contains(key) || dispatcher.isQueued(key)) {
                metrics.duplicatesSkipped.incrementAndGet();
                log.debug("Alert {} was already delivered to channel '{}'; not sending it again.", key, channel);
                continue;
            }
            notifications.add(new Notification(alert, record, channel, key));
        }
        if (!notifications.isEmpty()) {
            offsets.begin(partition, offset, notifications.size());
            notifications.forEach(notification -> dispatcher.enqueue(notification, nowMs));
        }
    }

    private void unconfigured(String channel, AlertEvent alert) {
        metrics.unconfiguredChannelSkips.incrementAndGet();
        if (unconfiguredWarned.add(channel)) {
            log.warn("Alert of rule '{}' (fingerprint '{}') is routed to channel '{}', which is not configured"
                    + " (configured: {}); skipping that channel. Later alerts for it are skipped without a warning;"
                    + " the metric alerts-unconfigured-channel-skipped-total counts them.", alert.getRule(),
                    alert.getFingerprint(), channel, channels.keySet());
        }
    }

    /** Asks Connect to call {@link #put} again by the time the next group or retry is due. */
    private void scheduleNextPut() {
        long nextMs = dispatcher.nextAttemptMs();
        if (nextMs != Long.MAX_VALUE) {
            context.timeout(Math.max(1, nextMs - clock.millis()));
        }
    }

    private final class Outcomes implements Dispatcher.Listener {

        @Override
        public void delivered(String channel, List<Notification> notifications) {
            metrics.alertsDelivered.addAndGet(notifications.size());
            long nowMs = clock.millis();
            for (Notification notification : notifications) {
                delivered.record(notification.key(), nowMs,
                        () -> offsets.done(notification.partition(), notification.offset()));
            }
        }

        @Override
        public void retrying(String channel, List<Notification> notifications, DeliveryException error,
                             long nextAttemptMs) {
            metrics.deliveryRetries.incrementAndGet();
        }

        @Override
        public void failed(String channel, List<Notification> notifications, DeliveryException error, int attempts) {
            deadLetters.undeliverable(channel, notifications, error, attempts);
            notifications.forEach(notification -> offsets.done(notification.partition(), notification.offset()));
        }
    }

    /** The task's counters, null before {@link #start}. */
    NotificationMetrics metrics() {
        return metrics;
    }

    private static TopicPartition partition(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }

    private static Map<String, Channel> byLowerCaseName(Map<String, Channel> channels) {
        Map<String, Channel> byName = new LinkedHashMap<>();
        channels.forEach((name, channel) -> byName.put(name.toLowerCase(Locale.ROOT), channel));
        return byName;
    }
}
