package com.aima.metrics.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro values as JSON a person or a query engine reads without Avro's JSON encoding rules: a record is an object with
 * its fields in schema order, a map an object, an array an array, a union the value of its branch (no
 * {@code {"type": value}} wrapper), an enum its symbol, a string a string, bytes and fixed base64 (RFC 4648, with
 * padding), numbers and booleans as such. Logical types are written as their underlying type: a
 * {@code timestamp-millis} is its epoch milliseconds. NaN and infinities of float and double are the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. Output follows the schema, so the same values give the same
 * text.
 */
final class ReadableJson {

    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private ReadableJson() {
    }

    /** Writes {@code value}, of {@code schema}, to {@code json}. */
    static void write(JsonGenerator json, Schema schema, Object value) throws IOException {
        switch (schema.getType()) {
            case NULL -> json.writeNull();
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case INT -> json.writeNumber((Integer) value);
            case LONG -> json.writeNumber((Long) value);
            case FLOAT -> writeFloating(json, (Float) value);
            case DOUBLE -> writeFloating(json, (Double) value);
            case STRING, ENUM -> json.writeString(value.toString());
            case BYTES, FIXED -> json.writeString(base64(value));
            case ARRAY -> {
                json.writeStartArray();
                for (Object element : (Collection<?>) value) {
                    write(json, schema.getElementType(), element);
                }
                json.writeEndArray();
            }
            case MAP -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    json.writeFieldName(entry.getKey().toString());
                    write(json, schema.getValueType(), entry.getValue());
                }
                json.writeEndObject();
            }
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                json.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    json.writeFieldName(field.name());
                    write(json, field.schema(), record.get(field.pos()));
                }
                json.writeEndObject();
            }
            case UNION -> write(json, branch(schema, value), value);
        }
    }

    /**
     * {@code value} as one CSV cell's text: null for a null, a string or enum as it is, a number or boolean as in
     * JSON, bytes as base64, a record, map or array as JSON text.
     */
    static String text(Schema schema, Object value) {
        return switch (schema.getType()) {
            case NULL -> null;
            case UNION -> text(branch(schema, value), value);
            case STRING, ENUM, BOOLEAN, INT, LONG, FLOAT, DOUBLE -> value.toString();
            case BYTES, FIXED -> base64(value);
            case RECORD, MAP, ARRAY -> json(schema, value);
        };
    }

    /** {@code value} as compact JSON text. */
    static String json(Schema schema, Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            write(json, schema, value);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to a string failed.", e);
        }
        return text.toString();
    }

    private static Schema branch(Schema union, Object value) {
        return union.getTypes().get(GenericData.get().resolveUnion(union, value));
    }

    private static void writeFloating(JsonGenerator json, double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumber(value);
        } else {
            json.writeString(Double.toString(value));
        }
    }

    private static void writeFloating(JsonGenerator json, float value) throws IOException {
        if (Float.isFinite(value)) {
            json.writeNumber(value);
        } else {
            json.writeString(Float.toString(value));
        }
    }

    private static String base64(Object value) {
        byte[] bytes;
        if (value instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            bytes = ((GenericFixed) value).bytes();
        }
        return Base64.getEncoder().encodeToString(bytes);
    }
}
