package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Each format's bytes, read back with an independent reader: Avro's DataFileReader, Jackson, Jackson's CSV parser. */
class FormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "aima.test+0+00000000000000000000";

    private final List<GenericRecord> records = List.of(
            TestRecords.allTypes("plain"),
            TestRecords.allTypes("comma, \"quoted\"\r\nand new line", "", Double.NaN),
            TestRecords.allTypes("ümlaut \uD83D\uDE00", null, -0.5));

    @ParameterizedTest
    @EnumSource(Compression.class)
    void avroFilesReadBackWithTheirSchemaAndCodec(Compression compression) throws IOException {
        byte[] bytes = encode(ArchiveFormat.AVRO, compression, FILE, records);

        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(bytes),
                new GenericDatumReader<>())) {
            assertThat(reader.getSchema()).isEqualTo(TestRecords.ALL_TYPES);
            assertThat(reader.getMetaString("avro.codec")).isEqualTo(compression == Compression.GZIP ? "deflate"
                    : "null");
            List<GenericRecord> read = new ArrayList<>();
            reader.forEach(read::add);
            assertThat(read).hasSize(3);
            for (int i = 0; i < records.size(); i++) {
                // Avro's toString is JSON; compared as trees, since a map read back has its own order.
                assertThat(JSON.readTree(read.get(i).toString())).isEqualTo(JSON.readTree(records.get(i).toString()));
            }
            assertThat(read.get(2).get("name").toString()).isEqualTo("ümlaut \uD83D\uDE00");
            assertThat(read.get(2).get("note")).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ArchiveFormat.class)
    void theSameRecordsGiveTheSameBytes(ArchiveFormat format) throws IOException {
        for (Compression compression : Compression.values()) {
            assertThat(encode(format, compression, FILE, records))
                    .isEqualTo(encode(format, compression, FILE, records));
        }
    }

    @Test
    void avroSyncMarkersComeFromTheFileName() throws IOException {
        byte[] first = encode(ArchiveFormat.AVRO, Compression.NONE, FILE, records);
        byte[] other = encode(ArchiveFormat.AVRO, Compression.NONE, "aima.test+0+00000000000000000003", records);

        assertThat(first).isNotEqualTo(other).hasSameSizeAs(other);
        assertThat(AvroContainerEncoder.syncMarker(FILE)).hasSize(16);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void jsonLinesAreReadableJson(Compression compression) throws IOException {
        byte[] bytes = encode(ArchiveFormat.JSONL, compression, FILE, records);
        String text = new String(unzipIf(compression, bytes), StandardCharsets.UTF_8);

        String[] lines = text.split("\n", -1);
        assertThat(lines).hasSize(4);
        assertThat(lines[3]).as("the file ends with a line feed").isEmpty();
        JsonNode first = JSON.readTree(lines[0]);
        assertThat(first.path("name").asText()).isEqualTo("plain");
        assertThat(first.path("count").asInt()).isEqualTo(7);
        assertThat(first.path("total").asLong()).isEqualTo(12_345_678_901L);
        assertThat(first.path("ratio").asDouble()).isEqualTo(0.25);
        assertThat(first.path("value").asDouble()).isEqualTo(1.5);
        assertThat(first.path("ok").asBoolean()).isTrue();
        assertThat(first.path("kind").asText()).as("an enum is its symbol").isEqualTo("GPU");
        assertThat(first.path("payload").asText()).as("bytes are base64").isEqualTo("aGkh");
        assertThat(first.path("hash").asText()).isEqualTo("AQIDBA==");
        assertThat(first.path("labels").isObject()).as("a map is an object").isTrue();
        assertThat(first.path("labels").path("node").asText()).isEqualTo("n1");
        assertThat(first.path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(first.path("nested").path("a").asText()).isEqualTo("x");
        assertThat(first.path("note").asText()).as("a union is its branch's value").isEqualTo("note");
        assertThat(first.path("time").isIntegralNumber()).isTrue();
        assertThat(first.path("time").asLong()).as("timestamp-millis").isEqualTo(TestRecords.TIME_MS);
        assertThat(lines[0]).startsWith("{\"name\":\"plain\",\"count\":7,");

        JsonNode second = JSON.readTree(lines[1]);
        assertThat(second.path("name").asText()).isEqualTo("comma, \"quoted\"\r\nand new line");
        assertThat(second.path("note").asText()).isEmpty();
        assertThat(second.path("value").asText()).isEqualTo("NaN");
        JsonNode third = JSON.readTree(lines[2]);
        assertThat(third.path("note").isNull()).isTrue();
        assertThat(third.path("name").asText()).isEqualTo("ümlaut \uD83D\uDE00");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void csvHasAHeaderAndQuotesAfterRfc4180(Compression compression) throws IOException {
        byte[] bytes = encode(ArchiveFormat.CSV, compression, FILE, records);
        String text = new String(unzipIf(compression, bytes), StandardCharsets.UTF_8);

        assertThat(text).startsWith("name,count,total,ratio,value,ok,kind,payload,hash,labels,tags,nested,note,time"
                + "\r\n");
        assertThat(text).contains("\r\n\"comma, \"\"quoted\"\"\r\nand new line\",7,");
        assertThat(text).as("JSON text of a map, quoted for its commas and quotes")
                .contains(",\"{\"\"gpu\"\":\"\"0\"\",\"\"node\"\":\"\"n1\"\"}\",");
        assertThat(text).endsWith("\r\n");

        List<List<String>> rows = parseCsv(text);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).hasSize(TestRecords.ALL_TYPES.getFields().size());
        List<String> plain = rows.get(1);
        assertThat(plain).containsExactly("plain", "7", "12345678901", "0.25", "1.5", "true", "GPU", "aGkh",
                "AQIDBA==", "{\"gpu\":\"0\",\"node\":\"n1\"}", "[\"a\",\"b\"]", "{\"a\":\"x\"}", "note",
                Long.toString(TestRecords.TIME_MS));
        List<String> quoted = rows.get(2);
        assertThat(quoted.get(0)).isEqualTo("comma, \"quoted\"\r\nand new line");
        assertThat(quoted.get(4)).isEqualTo("NaN");
        assertThat(quoted.get(12)).as("an empty string is a quoted empty cell").isEmpty();
        assertThat(rows.get(3).get(12)).as("a null is an empty cell, apart from the empty string").isNull();
    }

    @Test
    void quotingLeavesPlainCellsAlone() {
        assertThat(CsvEncoder.quote("plain text")).isEqualTo("plain text");
        assertThat(CsvEncoder.quote("")).isEqualTo("\"\"");
        assertThat(CsvEncoder.quote("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvEncoder.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvEncoder.quote("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvEncoder.quote("cr\r")).isEqualTo("\"cr\r\"");
    }

    @Test
    void extensionsAndContentTypes() {
        assertThat(ArchiveFormat.AVRO.extension(Compression.GZIP)).isEqualTo("avro");
        assertThat(ArchiveFormat.JSONL.extension(Compression.NONE)).isEqualTo("jsonl");
        assertThat(ArchiveFormat.JSONL.extension(Compression.GZIP)).isEqualTo("jsonl.gz");
        assertThat(ArchiveFormat.CSV.extension(Compression.GZIP)).isEqualTo("csv.gz");
        assertThat(ArchiveFormat.CSV.contentType(Compression.NONE)).isEqualTo("text/csv");
        assertThat(ArchiveFormat.CSV.contentType(Compression.GZIP)).isEqualTo("application/gzip");
    }

    static byte[] encode(ArchiveFormat format, Compression compression, String fileName, List<GenericRecord> records)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordEncoder encoder = format.open(records.get(0).getSchema(), compression, out, fileName);
        for (GenericRecord record : records) {
            encoder.append(record);
        }
        encoder.finish();
        return out.toByteArray();
    }

    static byte[] unzipIf(Compression compression, byte[] bytes) throws IOException {
        if (compression == Compression.NONE) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** Rows of cells; an empty unquoted cell is null, an empty quoted one "". */
    static List<List<String>> parseCsv(String text) throws IOException {
        CsvMapper csv = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL).build();
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> iterator = csv.readerForListOf(String.class).readValues(text)) {
            iterator.forEachRemaining(rows::add);
        }
        return rows;
    }
}
