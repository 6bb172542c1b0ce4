package com.aima.metrics.collector.otlp;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body of at most a given size, gunzipping it when {@code Content-Encoding: gzip}. Never buffers more
 * than the limit plus one read: a larger body (before or after decompression) is answered 413 without reading it all.
 */
final class RequestBody {

    private RequestBody() {
    }

    /**
     * The media type of the request's {@code Content-Type}, lower-cased and without parameters; empty when absent.
     */
    /**
     * Answers 404 for another path than {@code path} under the handler's context and 405 for a method other than
     * POST, as both endpoints do.
     *
     * @param endpoint what the endpoint is called in the 404 message ("OTLP endpoint")
     * @param payload  what goes to {@code path}, for the 404 message ("metrics")
     */
    static void requirePost(HttpExchange exchange, String path, String endpoint, String payload) throws HttpProblem {
        if (!path.equals(exchange.getRequestURI().getPath())) {
            throw new HttpProblem(404, "No " + endpoint + " at " + exchange.getRequestURI().getPath() + "; "
                    + payload + " go to " + path + ".");
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw new HttpProblem(405, "Method " + exchange.getRequestMethod() + " is not allowed; use POST.");
        }
    }

    /** {@code maxBodyBytes} if positive, for a handler's constructor. */
    static int positiveLimit(int maxBodyBytes) {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("The body limit must be positive, not " + maxBodyBytes + " bytes.");
        }
        return maxBodyBytes;
    }

    static String mediaType(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @param maxBytes the largest body accepted, in bytes, compressed and uncompressed
     * @throws HttpProblem 413 for a larger body, 415 for an encoding other than gzip or identity, 400 for broken gzip
     * @throws IOException when the connection fails
     */
    static byte[] read(HttpExchange exchange, int maxBytes) throws HttpProblem, IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && parseLength(length) > maxBytes) {
            throw tooLarge(maxBytes);
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        if (!gzip && encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw new HttpProblem(415, "Content-Encoding '" + encoding + "' is not supported; send gzip or none.");
        }
        InputStream body = new LimitedInputStream(exchange.getRequestBody(), maxBytes);
        try {
            if (gzip) {
                try (InputStream unzipped = new LimitedInputStream(new GZIPInputStream(body), maxBytes)) {
                    return readAll(unzipped);
                } catch (TooLargeException e) {
                    throw e;
                } catch (IOException e) {
                    throw new HttpProblem(400, "The body is not valid gzip: " + e.getMessage(), e);
                }
            }
            return readAll(body);
        } catch (TooLargeException e) {
            throw tooLarge(maxBytes);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static HttpProblem tooLarge(int maxBytes) {
        return new HttpProblem(413, "The body is larger than the limit of " + maxBytes + " bytes.");
    }

    /** Thrown by {@link LimitedInputStream} on the first byte past its limit. */
    private static final class TooLargeException extends IOException {
        TooLargeException() {
            super("body over the size limit", null);
        }
    }

    /** Passes at most {@code limit} bytes through; the next one throws {@link TooLargeException}. */
    private static final class LimitedInputStream extends FilterInputStream {

        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            // Reads one byte past the limit to tell "exactly the limit" from "more".
            int n = super.read(buffer, offset, (int) Math.min(length, remaining + 1));
            if (n > 0) {
                remaining -= n;
                if (remaining < 0) {
                    throw new TooLargeException();
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 8192)]));
        }
    }
}
