package com.aima.metrics.cost;

import com.aima.metrics.DeadLetterHeaders;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.streams.Decoding;
import com.aima.metrics.streams.Decoding.UndecodableException;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The cost engine's door for job events: decodes each record of the jobs topic and checks what no later step can
 * repair. A valid event goes on keyed by its job id; anything else goes on as the bytes read, annotated with
 * {@link DeadLetterHeaders} naming the field and value at fault, for {@link com.aima.metrics.Topics#JOBS_DLQ}. The
 * engine keeps running either way.
 */
final class JobIntake implements Processor<String, byte[], String, Object> {

    /** Event times before this (2000-01-01) are errors, such as seconds sent as milliseconds. */
    static final long EARLIEST_EVENT_MS = 946_684_800_000L;
    /** Event times further ahead of the wall clock than this are errors, such as microseconds. */
    static final long MAX_FUTURE_MS = 24 * 3_600_000L;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern PIDS = Pattern.compile("\\s*\\d+\\s*(,\\s*\\d+\\s*)*");

    private final Deserializer<JobEvent> deserializer;
    private ProcessorContext<String, Object> context;

    JobIntake(Deserializer<JobEvent> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        JobEvent event;
        try {
            event = Decoding.decode(deserializer, context, record);
        } catch (UndecodableException e) {
            deadLetter(context, record.withValue((Object) record.value()),
                    "Not a JobEvent in the Confluent wire format: " + e.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        String problem = problem(record.key(), event, context.currentSystemTimeMs());
        if (problem != null) {
            deadLetter(context, record.withValue((Object) record.value()), problem);
            return;
        }
        context.forward(record.withKey(event.getJobId()).withValue(event));
    }

    /** What makes the event unusable, as a sentence naming the field and value; null when it is usable. */
    static String problem(String key, JobEvent event, long nowMs) {
        if (event.getJobId().isBlank()) {
            return "jobId is empty.";
        }
        if (key != null && !key.equals(event.getJobId())) {
            return "The record key '" + key + "' is not the jobId '" + event.getJobId() + "'.";
        }
        if (event.getEventId().isBlank()) {
            return "eventId of job " + event.getJobId() + " is empty.";
        }
        if (event.getProject().isBlank()) {
            return "project of job " + event.getJobId() + " is empty; costs are charged to a project.";
        }
        long timeMs = event.getEventTime().toEpochMilli();
        if (timeMs < EARLIEST_EVENT_MS || timeMs > nowMs + MAX_FUTURE_MS) {
            return "eventTime " + event.getEventTime() + " of job " + event.getJobId()
                    + " is not between 2000-01-01 and a day after now; is it in seconds or microseconds?";
        }
        if (event.getMediaDurationMs() != null && event.getMediaDurationMs() < 0) {
            return "mediaDurationMs " + event.getMediaDurationMs() + " of job " + event.getJobId()
                    + " must not be negative.";
        }
        if (event.getMediaProcessedMs() != null && event.getMediaProcessedMs() < 0) {
            return "mediaProcessedMs " + event.getMediaProcessedMs() + " of job " + event.getJobId()
                    + " must not be negative.";
        }
        for (String device : event.getAssignedDevices()) {
            if (device.isBlank() || device.chars().anyMatch(Character::isWhitespace)) {
                return "assignedDevices of job " + event.getJobId() + " holds '" + device
                        + "'; a device id is a GPU or MIG UUID without spaces.";
            }
        }
        String pids = event.getLabels().get(JobHistory.PIDS_LABEL);
        if (pids != null && !PIDS.matcher(pids).matches()) {
            return "labels." + JobHistory.PIDS_LABEL + " '" + pids + "' of job " + event.getJobId()
                    + " is not a comma-separated list of process ids.";
        }
        if (event.getCostEstimate() != null) {
            if (event.getCostEstimate().getAmountMicros() < 0) {
                return "costEstimate.amountMicros " + event.getCostEstimate().getAmountMicros() + " of job "
                        + event.getJobId() + " must not be negative.";
            }
            if (!CURRENCY.matcher(event.getCostEstimate().getCurrency()).matches()) {
                return "costEstimate.currency '" + event.getCostEstimate().getCurrency() + "' of job "
                        + event.getJobId() + " is not an ISO-4217 code like EUR.";
            }
        }
        return null;
    }

    /** Forwards {@code record} with its headers annotated: where it was read and {@code reason}. */
    static void deadLetter(ProcessorContext<String, Object> context, Record<String, Object> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        RecordMetadata source = context.recordMetadata().orElse(null);
        DeadLetterHeaders.annotate(headers, source == null ? "" : source.topic(),
                source == null ? -1 : source.partition(), source == null ? -1 : source.offset(), reason);
        context.forward(record.withHeaders(headers));
    }
}
