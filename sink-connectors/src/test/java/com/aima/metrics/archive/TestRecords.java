package com.aima.metrics.archive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Generic records of a schema with every Avro type the formats handle, in their generic representation. */
final class TestRecords {

    static final Schema NESTED = SchemaBuilder.record("Nested").namespace("com.aima.test").fields()
            .requiredString("a").endRecord();
    static final Schema KIND = SchemaBuilder.enumeration("Kind").namespace("com.aima.test").symbols("GPU", "JOB");
    static final Schema HASH = SchemaBuilder.fixed("Hash").namespace("com.aima.test").size(4);
    static final Schema ALL_TYPES = SchemaBuilder.record("AllTypes").namespace("com.aima.test").fields()
            .requiredString("name")
            .requiredInt("count")
            .requiredLong("total")
            .requiredFloat("ratio")
            .requiredDouble("value")
            .requiredBoolean("ok")
            .name("kind").type(KIND).noDefault()
            .requiredBytes("payload")
            .name("hash").type(HASH).noDefault()
            .name("labels").type().map().values().stringType().noDefault()
            .name("tags").type().array().items().stringType().noDefault()
            .name("nested").type(NESTED).noDefault()
            .optionalString("note")
            .name("time").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .endRecord();
    /** ALL_TYPES with one more field: another writer schema. */
    static final Schema ALL_TYPES_V2 = SchemaBuilder.record("AllTypes").namespace("com.aima.test").fields()
            .requiredString("name")
            .name("extra").type().intType().intDefault(0)
            .endRecord();

    static final long TIME_MS = 1_772_406_000_000L; // 2026-03-01T23:00:00Z

    private TestRecords() {
    }

    /** A record with {@code name}, {@code note} (may be null) and {@code value}, the rest fixed. */
    static GenericRecord allTypes(String name, String note, double value) {
        GenericRecord record = new GenericData.Record(ALL_TYPES);
        record.put("name", name);
        record.put("count", 7);
        record.put("total", 12_345_678_901L);
        record.put("ratio", 0.25f);
        record.put("value", value);
        record.put("ok", true);
        record.put("kind", new GenericData.EnumSymbol(KIND, "GPU"));
        record.put("payload", ByteBuffer.wrap("hi!".getBytes(StandardCharsets.UTF_8)));
        record.put("hash", new GenericData.Fixed(HASH, new byte[] {1, 2, 3, 4}));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("gpu", "0");
        labels.put("node", "n1");
        record.put("labels", labels);
        record.put("tags", new GenericData.Array<>(ALL_TYPES.getField("tags").schema(), List.of("a", "b")));
        GenericRecord nested = new GenericData.Record(NESTED);
        nested.put("a", "x");
        record.put("nested", nested);
        record.put("note", note);
        record.put("time", TIME_MS);
        return record;
    }

    static GenericRecord allTypes(String name) {
        return allTypes(name, "note", 1.5);
    }

    static GenericRecord v2(String name) {
        GenericRecord record = new GenericData.Record(ALL_TYPES_V2);
        record.put("name", name);
        record.put("extra", 1);
        return record;
    }
}
