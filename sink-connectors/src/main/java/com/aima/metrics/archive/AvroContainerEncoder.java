package com.aima.metrics.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * An Avro object container file: the writer schema in the header, records in blocks of about 64 KB, with the
 * {@code null} codec or, for gzip, {@code deflate} (Avro's name for the same algorithm inside the file). Avro picks a
 * random 16-byte sync marker by default; this one is the MD5 of the file name, so that a replay writes the same bytes.
 */
final class AvroContainerEncoder implements RecordEncoder {

    private final DataFileWriter<GenericRecord> writer;

    AvroContainerEncoder(Schema schema, Compression compression, OutputStream out, String fileName)
            throws IOException {
        writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema));
        writer.setCodec(compression == Compression.GZIP ? CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL)
                : CodecFactory.nullCodec());
        writer.create(schema, out, syncMarker(fileName));
    }

    @Override
    public void append(GenericRecord record) throws IOException {
        writer.append(record);
    }

    @Override
    public void finish() throws IOException {
        writer.close();
    }

    static byte[] syncMarker(String fileName) {
        try {
            return MessageDigest.getInstance("MD5").digest(fileName.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has MD5.", e);
        }
    }
}
