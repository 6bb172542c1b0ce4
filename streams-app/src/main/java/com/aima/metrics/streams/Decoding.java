package com.aima.metrics.streams;

import com.aima.metrics.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * How the applications' processors decode the Avro values they read as bytes: a record that is at fault is reported
 * as {@link UndecodableException}, for the caller to dead-letter or skip, while a registry that does not answer is
 * not the record's fault and fails the task, which then retries from its committed offset instead of discarding good
 * data.
 */
public final class Decoding {

    private Decoding() {
    }

    /** A record whose value is not what the topic should hold; the message is the serde's. */
    public static final class UndecodableException extends Exception {

        UndecodableException(SerializationException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * The record's value decoded with the topic it was read from (the serde's subject) and its headers; null for a
     * null value.
     *
     * @throws UndecodableException  when the record is at fault
     * @throws SerializationException when the schema registry is unavailable ({@link
     *                                SchemaRegistryException#isRegistryUnavailable})
     */
    public static <T> T decode(Deserializer<T> deserializer, ProcessingContext context, Record<?, byte[]> record)
            throws UndecodableException {
        try {
            return deserializer.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(""),
                    record.headers(), record.value());
        } catch (SerializationException e) {
            if (SchemaRegistryException.isRegistryUnavailable(e)) {
                throw e;
            }
            throw new UndecodableException(e);
        }
    }
}
