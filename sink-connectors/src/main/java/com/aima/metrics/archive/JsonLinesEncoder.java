package com.aima.metrics.archive;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** JSON Lines: each record as one {@link ReadableJson} object on its own line (LF), UTF-8. */
final class JsonLinesEncoder implements RecordEncoder {

    private final Schema schema;
    private final OutputStream out;
    private final JsonGenerator json;

    JsonLinesEncoder(Schema schema, OutputStream out) throws IOException {
        this.schema = schema;
        this.out = out;
        this.json = ReadableJson.FACTORY.createGenerator(out, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @Override
    public void append(GenericRecord record) throws IOException {
        ReadableJson.write(json, schema, record);
        json.writeRaw('\n');
        // Flushed per record so that the file's size, which rotation reads, includes it.
        json.flush();
    }

    @Override
    public void finish() throws IOException {
        json.close();
        out.close();
    }
}
