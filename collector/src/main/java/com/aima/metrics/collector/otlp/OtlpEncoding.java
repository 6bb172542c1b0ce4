package com.aima.metrics.collector.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.nio.charset.StandardCharsets;

/**
 * The two OTLP/HTTP encodings: binary protobuf and OTLP JSON (protobuf's JSON mapping with lowerCamelCase names;
 * enums as integers and 64-bit integers as strings are accepted). A response is written in the request's encoding.
 * Unknown JSON fields are ignored, as the specification asks. Exemplars' hex trace and span ids are read as base64,
 * which is harmless because exemplars are not mapped.
 */
enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final String mediaType;

    OtlpEncoding(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    /** The encoding of a media type (lower case, no parameters), or {@code null} if it is neither. */
    static OtlpEncoding of(String mediaType) {
        for (OtlpEncoding encoding : values()) {
            if (encoding.mediaType.equals(mediaType)) {
                return encoding;
            }
        }
        return null;
    }

    /** @throws InvalidProtocolBufferException if {@code body} is not a request in this encoding */
    ExportMetricsServiceRequest parse(byte[] body) throws InvalidProtocolBufferException {
        if (this == PROTOBUF) {
            return ExportMetricsServiceRequest.parseFrom(body);
        }
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        JSON_PARSER.merge(new String(body, StandardCharsets.UTF_8), request);
        return request.build();
    }

    byte[] write(ExportMetricsServiceResponse response) {
        if (this == PROTOBUF) {
            return response.toByteArray();
        }
        try {
            return JSON_PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("An ExportMetricsServiceResponse could not be printed as JSON.", e);
        }
    }

    /** A {@code google.rpc.Status} with {@code code} and {@code message}, in this encoding. */
    byte[] status(int code, String message) {
        return this == PROTOBUF ? RpcStatus.protobuf(code, message) : RpcStatus.json(code, message);
    }
}
