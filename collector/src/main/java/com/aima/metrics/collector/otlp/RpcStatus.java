package com.aima.metrics.collector.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The error body OTLP/HTTP asks for, a {@code google.rpc.Status} ({@code code} = 1, {@code message} = 2, details
 * left out), written by hand to avoid a dependency on the common protos for two fields.
 */
final class RpcStatus {

    static final int INVALID_ARGUMENT = 3;
    static final int NOT_FOUND = 5;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RpcStatus() {
    }

    /** The gRPC code that goes with an HTTP error status. */
    static int codeFor(int httpStatus) {
        return switch (httpStatus) {
            case 404 -> NOT_FOUND;
            case 405 -> UNIMPLEMENTED;
            case 413 -> RESOURCE_EXHAUSTED;
            case 503 -> UNAVAILABLE;
            default -> httpStatus >= 500 ? INTERNAL : INVALID_ARGUMENT;
        };
    }

    static byte[] protobuf(int code, String message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] json(int code, String message) {
        ObjectNode status = JSON.createObjectNode().put("code", code).put("message", message);
        try {
            return JSON.writeValueAsBytes(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
