package com.aima.metrics.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * CSV after RFC 4180: a header row of the schema's top-level field names, then one row per record, CRLF after every
 * row, UTF-8. A cell is the field's {@link ReadableJson#text} (nested records, maps and arrays as JSON); a cell with a
 * comma, a double quote, CR or LF is quoted, its quotes doubled. A null field is an empty cell and an empty string is
 * {@code ""}, so the two stay apart.
 */
final class CsvEncoder implements RecordEncoder {

    private static final String ROW_END = "\r\n";

    private final Schema schema;
    private final OutputStream out;
    private final StringBuilder row = new StringBuilder(256);
    private int cells;
    private boolean headerWritten;

    CsvEncoder(Schema schema, OutputStream out) {
        this.schema = schema;
        this.out = out;
    }

    @Override
    public void append(GenericRecord record) throws IOException {
        if (!headerWritten) {
            for (Schema.Field field : schema.getFields()) {
                cell(field.name());
            }
            endRow();
            headerWritten = true;
        }
        for (Schema.Field field : schema.getFields()) {
            cell(ReadableJson.text(field.schema(), record.get(field.pos())));
        }
        endRow();
    }

    /** Appends one cell, quoted where RFC 4180 needs it; {@code null} is an empty, unquoted cell. */
    private void cell(String text) {
        if (cells++ > 0) {
            row.append(',');
        }
        if (text != null) {
            row.append(quote(text));
        }
    }

    private void endRow() throws IOException {
        row.append(ROW_END);
        out.write(row.toString().getBytes(StandardCharsets.UTF_8));
        row.setLength(0);
        cells = 0;
    }

    /** {@code text} as one RFC 4180 field: as it is, or in double quotes with its quotes doubled. */
    static String quote(String text) {
        boolean needsQuotes = text.isEmpty();
        for (int i = 0; i < text.length() && !needsQuotes; i++) {
            char c = text.charAt(i);
            needsQuotes = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return needsQuotes ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    @Override
    public void finish() throws IOException {
        out.close();
    }
}
