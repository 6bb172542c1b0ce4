package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which alert was delivered to which channel, so that an alert read again (the task restarted before its offsets were
 * committed) is not sent twice. In memory for the lookups, persisted in a {@link DeliveryLog} for the next run. A
 * delivery counts as durable once its mark is written; the caller holds back the record's offset until then.
 * Deliveries older than {@code retentionMs} are forgotten. Used by the task's thread only, except for the log's
 * completion callbacks, which only enqueue.
 */
final class DeliveredAlerts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveredAlerts.class);

    /** A mark being written: what to run once it is durable. */
    private record PendingMark(String key, long deliveredAtMs, Runnable onDurable, Exception failure) {
    }

    private final DeliveryLog deliveryLog;
    private final long retentionMs;
    private final LinkedHashMap<String, Long> deliveredAtByKey = new LinkedHashMap<>();
    private final Queue<PendingMark> completed = new ConcurrentLinkedQueue<>();

    DeliveredAlerts(DeliveryLog deliveryLog, long retentionMs) {
        this.deliveryLog = deliveryLog;
        this.retentionMs = retentionMs;
    }

    /**
     * The identity of one notification: the alert instance ({@code fingerprint} and {@code startsAt}, since a
     * fingerprint fires again after it resolved), its state, and the channel.
     */
    static String key(AlertEvent alert, String channel) {
        return alert.getFingerprint() + "/" + alert.getStartsAt().toEpochMilli() + "/" + alert.getState() + "/"
                + channel;
    }

    /** Reads the log into memory; returns the number of deliveries remembered. */
    int load(long nowMs) {
        deliveredAtByKey.putAll(deliveryLog.readAll());
        expire(nowMs);
        return deliveredAtByKey.size();
    }

    boolean contains(String key) {
        return deliveredAtByKey.containsKey(key);
    }

    /**
     * Remembers a delivery at once and writes its mark; {@code onDurable} runs in a later {@link #runDurable()} once
     * the mark is written. A mark that fails to be written is written again.
     */
    void record(String key, long nowMs, Runnable onDurable) {
        deliveredAtByKey.put(key, nowMs);
        append(key, nowMs, onDurable);
        expire(nowMs);
    }

    /** Runs the callbacks of the marks written since the last call, and writes the failed ones again. */
    void runDurable() {
        // Only the marks completed so far: one written again may complete at once and must wait for the next call.
        List<PendingMark> marks = new ArrayList<>();
        for (PendingMark mark = completed.poll(); mark != null; mark = completed.poll()) {
            marks.add(mark);
        }
        for (PendingMark mark : marks) {
            if (mark.failure() == null) {
                mark.onDurable().run();
            } else {
                log.warn("Writing the delivery mark '{}' failed; writing it again. Until it is written, the offset of"
                        + " its record is not committed.", mark.key(), mark.failure());
                append(mark.key(), mark.deliveredAtMs(), mark.onDurable());
            }
        }
    }

    /** Waits until every mark written so far is durable (or failed), then {@link #runDurable()}. */
    void flush() {
        deliveryLog.flush();
        runDurable();
    }

    int size() {
        return deliveredAtByKey.size();
    }

    @Override
    public void close() {
        deliveryLog.close();
    }

    private void append(String key, long deliveredAtMs, Runnable onDurable) {
        deliveryLog.append(key, deliveredAtMs,
                failure -> completed.add(new PendingMark(key, deliveredAtMs, onDurable, failure)));
    }

    /** Drops deliveries older than the retention; the map is in delivery order, mostly, so this stops early. */
    private void expire(long nowMs) {
        Iterator<Map.Entry<String, Long>> oldest = deliveredAtByKey.entrySet().iterator();
        while (oldest.hasNext()) {
            if (oldest.next().getValue() > nowMs - retentionMs) {
                return;
            }
            oldest.remove();
        }
    }
}
