package com.aima.metrics.collector.publish;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.TrustedClasses;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;

/**
 * How events lie in the spool: a kind byte ({@code 1} metric, {@code 2} job), then the event in Avro's single-object
 * encoding (marker {@code C3 01}, the writer schema's 8-byte fingerprint, the Avro binary). Spooled events therefore
 * need no schema registry, and a collector of a later version can tell which schema wrote them. Thread-safe.
 */
final class EventCodec {

    /** What a spooled event is, and so which topic it goes to. */
    enum Kind {
        METRIC((byte) 1), JOB((byte) 2);

        final byte code;

        Kind(byte code) {
            this.code = code;
        }
    }

    /** A spooled event read back, with its record key: the series for a metric, the job id for a job event. */
    record Decoded(Kind kind, SpecificRecord event, String key) {
    }

    static {
        // Avro (1.12.1 on) instantiates only trusted classes, and decoding creates the schema package's records and
        // enums, possibly before the serde has serialized anything.
        TrustedClasses.trustSchemaPackage();
    }

    private EventCodec() {
    }

    /** @throws IllegalArgumentException when the event cannot be written, for example a required field is null */
    static byte[] encode(MetricEvent event) {
        try {
            return frame(Kind.METRIC, event.toByteBuffer());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot encode the metric event " + event + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the event cannot be written, for example a required field is null */
    static byte[] encode(JobEvent event) {
        try {
            return frame(Kind.JOB, event.toByteBuffer());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot encode the job event " + event + ": " + e.getMessage(), e);
        }
    }

    private static byte[] frame(Kind kind, ByteBuffer encoded) {
        byte[] payload = new byte[1 + encoded.remaining()];
        payload[0] = kind.code;
        encoded.get(payload, 1, encoded.remaining());
        return payload;
    }

    /**
     * @throws IOException when the payload is not an event this version can read: an unknown kind, a schema
     *                     fingerprint it does not know, or damaged Avro data
     */
    static Decoded decode(byte[] payload) throws IOException {
        if (payload.length < 1) {
            throw new IOException("An empty spool record holds no event.");
        }
        InputStream avro = new ByteArrayInputStream(payload, 1, payload.length - 1);
        try {
            if (payload[0] == Kind.METRIC.code) {
                MetricEvent event = MetricEvent.getDecoder().decode(avro);
                return new Decoded(Kind.METRIC, event, SeriesKey.of(event.getName(), event.getLabels()));
            }
            if (payload[0] == Kind.JOB.code) {
                JobEvent event = JobEvent.getDecoder().decode(avro);
                return new Decoded(Kind.JOB, event, event.getJobId());
            }
        } catch (AvroRuntimeException e) {
            throw new IOException("Cannot decode a spooled event: " + e.getMessage(), e);
        }
        throw new IOException("Unknown spool record kind " + payload[0] + ".");
    }
}
