package com.aima.metrics.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: one magic byte {@code 0}, the writer schema's registry id as a 4-byte big-endian int,
 * then the Avro binary encoding of the datum.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_BYTES = 1 + Integer.BYTES;

    private WireFormat() {
    }

    /**
     * Reads the header of {@code data} and returns the schema id; the buffer's position is then at the Avro payload.
     *
     * @throws SerializationException if the record is shorter than the header or its magic byte is not 0
     */
    static int readSchemaId(ByteBuffer data, String topic) {
        if (data.remaining() < HEADER_BYTES) {
            throw new SerializationException(String.format(
                    "Record from topic '%s' is %d bytes long, shorter than the %d-byte Confluent wire-format header.",
                    topic, data.remaining(), HEADER_BYTES));
        }
        byte magic = data.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Unknown magic byte 0x%02x in record from topic '%s': expected 0x00 (Confluent wire format).",
                    magic, topic));
        }
        return data.getInt();
    }
}
