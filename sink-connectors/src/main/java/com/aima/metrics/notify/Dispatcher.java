package com.aima.metrics.notify;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups alerts per channel and sends each group when it is due, retrying failed groups with backoff. Each channel
 * has a queue of groups: the last one collects alerts for {@code groupWaitMs} from its first; only the head is ever
 * sent, so a channel's messages go out in the order their alerts were read (a FIRING before its RESOLVED) and a
 * channel in backoff holds back only its own groups. Nothing here waits: {@link #deliverDue} sends what is due now and
 * {@link #nextAttemptMs} says when to call it again. Used by the task's thread only.
 */
final class Dispatcher {

    /** What became of a group. Called on the thread of {@link #deliverDue}. */
    interface Listener {

        /** The channel took the message for {@code notifications}. */
        void delivered(String channel, List<Notification> notifications);

        /** The channel failed with a retryable error; the message is sent again at {@code nextAttemptMs}. */
        void retrying(String channel, List<Notification> notifications, DeliveryException error, long nextAttemptMs);

        /**
         * The channel refused the message for good, or kept failing for the whole retry time-out.
         *
         * @param attempts how often the message was sent
         */
        void failed(String channel, List<Notification> notifications, DeliveryException error, int attempts);
    }

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Map<String, Channel> channels;
    private final Map<String, Deque<PendingDelivery>> queues = new LinkedHashMap<>();
    private final Set<String> queuedKeys = new HashSet<>();
    private final long groupWaitMs;
    private final RetryPolicy retry;
    private final Clock clock;
    private final Listener listener;

    Dispatcher(Map<String, Channel> channels, long groupWaitMs, RetryPolicy retry, Clock clock, Listener listener) {
        this.channels = Map.copyOf(channels);
        this.groupWaitMs = groupWaitMs;
        this.retry = retry;
        this.clock = clock;
        this.listener = listener;
        this.channels.keySet().forEach(name -> queues.put(name, new ArrayDeque<>()));
    }

    boolean hasChannel(String name) {
        return channels.containsKey(name);
    }

    /** Whether a notification with this de-duplication key waits to be sent. */
    boolean isQueued(String key) {
        return queuedKeys.contains(key);
    }

    /** Adds {@code notification} to its channel's open group, or opens a group due {@code groupWaitMs} from now. */
    void enqueue(Notification notification, long nowMs) {
        Deque<PendingDelivery> queue = queues.get(notification.channel());
        if (queue == null) {
            throw new IllegalArgumentException("No channel '" + notification.channel() + "' is configured.");
        }
        PendingDelivery open = queue.peekLast();
        if (open == null || !open.accepts(nowMs)) {
            open = new PendingDelivery(nowMs + groupWaitMs);
            queue.addLast(open);
        }
        open.add(notification);
        queuedKeys.add(notification.key());
    }

    /** Sends every group that is due at {@code nowMs}, channel after channel. */
    void deliverDue(long nowMs) {
        queues.forEach((name, queue) -> {
            while (!queue.isEmpty() && queue.peekFirst().nextAttemptMs() <= nowMs) {
                if (!attempt(channels.get(name), queue.peekFirst())) {
                    break;
                }
                forget(queue.pollFirst());
            }
        });
    }

    /** When a group is next due, or {@link Long#MAX_VALUE} when nothing waits. */
    long nextAttemptMs() {
        return queues.values().stream().filter(queue -> !queue.isEmpty())
                .mapToLong(queue -> queue.peekFirst().nextAttemptMs()).min().orElse(Long.MAX_VALUE);
    }

    /** Number of notifications waiting, over all channels. */
    int queued() {
        return queuedKeys.size();
    }

    /**
     * Forgets the notifications read from {@code partitions}: the task no longer owns them, and whoever owns them next
     * reads them again from the last committed offset.
     */
    void drop(Collection<TopicPartition> partitions) {
        Set<TopicPartition> revoked = Set.copyOf(partitions);
        for (Deque<PendingDelivery> queue : queues.values()) {
            for (PendingDelivery group : queue) {
                group.notifications().removeIf(notification -> {
                    boolean drop = revoked.contains(notification.partition());
                    if (drop) {
                        queuedKeys.remove(notification.key());
                    }
                    return drop;
                });
            }
            queue.removeIf(PendingDelivery::isEmpty);
        }
    }

    /** Sends {@code group} once; true when the group is finished with (delivered or given up). */
    private boolean attempt(Channel channel, PendingDelivery group) {
        DeliveryException error;
        try {
            channel.deliver(group.alerts());
            listener.delivered(channel.name(), List.copyOf(group.notifications()));
            return true;
        } catch (DeliveryException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new DeliveryException("Channel '" + channel.name() + "' failed unexpectedly: " + e, false, e);
        }
        long nowMs = clock.millis();
        int failures = group.failedAt(nowMs);
        OptionalLong next = error.retryable()
                ? retry.nextAttemptMs(failures, group.firstFailureMs(), nowMs) : OptionalLong.empty();
        if (next.isPresent()) {
            group.retryAt(next.getAsLong());
            log.warn("Channel '{}' failed to deliver {} alert(s) ({}), attempt {}; retrying in {} ms: {}",
                    channel.name(), group.notifications().size(), describe(group), failures,
                    next.getAsLong() - nowMs, error.getMessage());
            listener.retrying(channel.name(), List.copyOf(group.notifications()), error, next.getAsLong());
            return false;
        }
        listener.failed(channel.name(), List.copyOf(group.notifications()), error, failures);
        return true;
    }

    private void forget(PendingDelivery group) {
        group.notifications().forEach(notification -> queuedKeys.remove(notification.key()));
    }

    private static String describe(PendingDelivery group) {
        return group.notifications().stream().map(Notification::describe).collect(Collectors.joining("; "));
    }
}
