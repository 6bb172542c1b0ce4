package com.aima.metrics.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;

/** The file formats of the archive: what a file's bytes, extension and content type are. */
public enum ArchiveFormat {

    /** An Avro object container file with the writer schema in its header; gzip selects the deflate codec. */
    AVRO("avro", "application/avro"),
    /** JSON Lines: one JSON object per record and line ({@link ReadableJson}), UTF-8, lines ending in LF. */
    JSONL("jsonl", "application/x-ndjson"),
    /** CSV (RFC 4180): a header row of the schema's top-level field names, one row per record, CRLF line ends. */
    CSV("csv", "text/csv");

    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final String extension;
    private final String contentType;

    ArchiveFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** {@code avro}, {@code jsonl}, {@code csv}; with gzip {@code jsonl.gz} and {@code csv.gz} (Avro compresses inside). */
    String extension(Compression compression) {
        return this == AVRO || compression == Compression.NONE ? extension : extension + ".gz";
    }

    /** The object's Content-Type: the format's own, or {@code application/gzip} for a gzipped jsonl or csv file. */
    String contentType(Compression compression) {
        return this == AVRO || compression == Compression.NONE ? contentType : "application/gzip";
    }

    /**
     * An encoder of records of {@code schema} into {@code out}.
     *
     * @param fileName the file's name without extension ({@link ObjectKeys#fileName}); Avro derives its sync marker
     *                 from it, so that the same file is written with the same bytes
     */
    RecordEncoder open(Schema schema, Compression compression, OutputStream out, String fileName) throws IOException {
        return switch (this) {
            case AVRO -> new AvroContainerEncoder(schema, compression, out, fileName);
            case JSONL -> new JsonLinesEncoder(schema, wrap(out, compression));
            case CSV -> new CsvEncoder(schema, wrap(out, compression));
        };
    }

    /** Java's gzip header has no time stamp or file name: gzipping the same bytes gives the same bytes. */
    private static OutputStream wrap(OutputStream out, Compression compression) throws IOException {
        return compression == Compression.GZIP ? new GZIPOutputStream(out, GZIP_BUFFER_BYTES) : out;
    }
}
