package com.aima.metrics.collector.otlp;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostEstimate;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.JobFailure;
import com.aima.metrics.schema.JobPriority;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.serde.TrustedClasses;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads job events from plain JSON: one object or an array of them, with the {@code JobEvent} schema's field names,
 * plain values for nullable fields ({@code "provider": "aws"}, not Avro's {@code {"string": "aws"}}), enum symbols as
 * strings (any case), timestamps as epoch milliseconds or ISO-8601 strings, and {@code eventId} generated (a random
 * UUID) when absent. Unknown fields are errors, so that a typo does not drop a value silently.
 *
 * <p>Privacy (seed 004 section 7.1): the submitter's id is sent as {@code submitter} and only its hash, made by the
 * hasher given to the constructor (the deployment's HMAC, {@code LabelPolicy::hmacHex}), is kept in
 * {@code submitterHash}. Without a hasher a {@code submitter} is refused. A {@code submitterHash} sent as such must be
 * 64 hex digits, so that no clear id passes under that name. Thread-safe.
 */
final class JobEventJson {

    static {
        // building a JobEvent resolves enum defaults (priority), which Avro 1.12.1+ loads only from trusted packages
        TrustedClasses.trustSchemaPackage();
    }

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final UnaryOperator<String> submitterHasher;

    /** @param submitterHasher hashes a submitter's id to 64 hex digits; {@code null} refuses {@code submitter} */
    JobEventJson(UnaryOperator<String> submitterHasher) {
        this.submitterHasher = submitterHasher;
    }

    /** The events of a body holding one JSON object or an array of them; all valid, or an exception. */
    List<JobEvent> parse(byte[] body) throws InvalidJobEventException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidJobEventException("The body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ".");
        } catch (IOException e) {
            throw new InvalidJobEventException("The body could not be read as JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidJobEventException("The body is empty; send a JSON object or an array of them.");
        }
        if (!root.isArray()) {
            return List.of(parse(root, ""));
        }
        List<JobEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            events.add(parse(root.get(i), "[" + i + "]"));
        }
        return events;
    }

    private JobEvent parse(JsonNode node, String path) throws InvalidJobEventException {
        JsonFields fields = new JsonFields(node, path);
        JobEvent.Builder event = JobEvent.newBuilder()
                .setEventId(fields.has("eventId") ? fields.requiredString("eventId") : UUID.randomUUID().toString())
                .setJobId(fields.requiredString("jobId"))
                .setType(fields.enumSymbol("type", JobEventType.class, null))
                .setEventTime(fields.requiredTimestamp("eventTime"))
                .setProject(fields.requiredString("project"))
                .setAnalysisType(fields.enumSymbol("analysisType", AnalysisType.class, null))
                .setMediaDurationMs(fields.optionalLong("mediaDurationMs", 0))
                .setMediaProcessedMs(fields.optionalLong("mediaProcessedMs", 0))
                .setPriority(fields.enumSymbol("priority", JobPriority.class, JobPriority.NORMAL))
                .setProvider(fields.optionalString("provider"))
                .setPricingModel(fields.optionalString("pricingModel"))
                .setGpuType(fields.optionalString("gpuType"))
                .setNode(fields.optionalString("node"))
                .setAssignedDevices(fields.stringList("assignedDevices"))
                .setCostEstimate(costEstimate(fields.optionalObject("costEstimate")))
                .setProgressPercent(fields.optionalDouble("progressPercent", 0, 100))
                .setCheckpointSequence(checkpointSequence(fields))
                .setFailure(failure(fields.optionalObject("failure")))
                .setSubmitterHash(submitterHash(fields))
                .setLabels(labels(fields));
        fields.requireNoOtherFields();
        return event.build();
    }

    private static CostEstimate costEstimate(JsonFields fields) throws InvalidJobEventException {
        if (fields == null) {
            return null;
        }
        CostEstimate.Builder estimate = CostEstimate.newBuilder()
                .setAmountMicros(fields.requiredLong("amountMicros", 0))
                .setEstimatedGpuSeconds(requiredDouble(fields, "estimatedGpuSeconds"))
                .setEstimatedAt(fields.requiredTimestamp("estimatedAt"))
                .setConfirmedByUser(fields.optionalBoolean("confirmedByUser", false));
        String currency = fields.optionalString("currency");
        if (currency != null) {
            if (!currency.matches("[A-Za-z]{3}")) {
                throw new InvalidJobEventException(fields.path("currency") + ": '" + currency
                        + "' is not an ISO-4217 code such as EUR.");
            }
            estimate.setCurrency(currency.toUpperCase(Locale.ROOT));
        }
        fields.requireNoOtherFields();
        return estimate.build();
    }

    private static JobFailure failure(JsonFields fields) throws InvalidJobEventException {
        if (fields == null) {
            return null;
        }
        JobFailure failure = JobFailure.newBuilder()
                .setCategory(fields.requiredString("category"))
                .setSeverity(fields.enumSymbol("severity", Severity.class, Severity.CRITICAL))
                .setRetryable(fields.optionalBoolean("retryable", false))
                .setMessage(fields.optionalString("message"))
                .build();
        fields.requireNoOtherFields();
        return failure;
    }

    private static double requiredDouble(JsonFields fields, String field) throws InvalidJobEventException {
        Double value = fields.optionalDouble(field, 0, Double.MAX_VALUE);
        if (value == null) {
            throw new InvalidJobEventException(fields.path(field) + ": required field is missing.");
        }
        return value;
    }

    private static Integer checkpointSequence(JsonFields fields) throws InvalidJobEventException {
        Long sequence = fields.optionalLong("checkpointSequence", 0);
        if (sequence != null && sequence > Integer.MAX_VALUE) {
            throw new InvalidJobEventException(fields.path("checkpointSequence") + ": " + sequence
                    + " is larger than " + Integer.MAX_VALUE + ".");
        }
        return sequence == null ? null : sequence.intValue();
    }

    private String submitterHash(JsonFields fields) throws InvalidJobEventException {
        String submitter = fields.optionalString("submitter");
        String hash = fields.optionalString("submitterHash");
        if (submitter != null && hash != null) {
            throw new InvalidJobEventException(fields.path("submitter")
                    + ": send either submitter (hashed here) or submitterHash, not both.");
        }
        if (hash != null) {
            // The value is not echoed: it may be a clear id sent under the wrong name.
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new InvalidJobEventException(fields.path("submitterHash") + ": must be 64 hex digits "
                        + "(an HMAC-SHA256); send the clear id as 'submitter' to have the collector hash it.");
            }
            return hash.toLowerCase(Locale.ROOT);
        }
        if (submitter == null) {
            return null;
        }
        if (submitterHasher == null) {
            throw new InvalidJobEventException(fields.path("submitter")
                    + ": this collector has no HMAC key to hash submitters; leave the field out.");
        }
        return submitterHasher.apply(submitter);
    }

    private static Map<String, String> labels(JsonFields fields) throws InvalidJobEventException {
        Map<String, String> labels = fields.stringMap("labels");
        for (String name : labels.keySet()) {
            if (!SeriesKey.LABEL_NAME.matcher(name).matches()) {
                throw new InvalidJobEventException(fields.path("labels") + ": '" + name
                        + "' is not a valid label name (letters, digits and _, not starting with a digit).");
            }
        }
        return labels;
    }
}
