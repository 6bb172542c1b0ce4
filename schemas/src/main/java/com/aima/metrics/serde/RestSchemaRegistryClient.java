package com.aima.metrics.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} over the Confluent Schema Registry REST API (v7), as served by Confluent, Apicurio
 * ({@code /apis/ccompat/v7}), Karapace and Redpanda. Each call tries the configured URLs in order until one answers;
 * an error answer is final. Thread-safe; it caches nothing (see {@link CachingSchemaRegistryClient}).
 */
final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RegistryUrl> urls;
    private final HttpClient http;
    private final Duration readTimeout;
    private final String configuredAuthorization;

    RestSchemaRegistryClient(AvroSerdeConfig config) {
        this.urls = new ArrayList<>();
        for (String url : config.registryUrls()) {
            urls.add(RegistryUrl.parse(url));
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.getInt(AvroSerdeConfig.HTTP_CONNECT_TIMEOUT_MS_CONFIG)));
        SSLContext ssl = RegistryTls.sslContext(config);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
        this.readTimeout = Duration.ofMillis(config.getInt(AvroSerdeConfig.HTTP_READ_TIMEOUT_MS_CONFIG));
        this.configuredAuthorization = authorization(config);
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", body(schema),
                "registering schema " + schema.getFullName() + " under subject '" + subject + "'");
        return answer.path("id").asInt();
    }

    @Override
    public int lookup(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject), body(schema),
                "looking up schema " + schema.getFullName() + " under subject '" + subject + "'");
        return answer.path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "fetching schema id " + id);
        return new Schema.Parser().parse(answer.path("schema").asText());
    }

    @Override
    public String location() {
        return urls.size() == 1 ? urls.get(0).display() : urls.stream().map(RegistryUrl::display).toList().toString();
    }

    private JsonNode call(String method, String path, String body, String what) {
        IOException lastFailure = null;
        for (RegistryUrl url : urls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.base() + path))
                    .timeout(readTimeout)
                    .header("Accept", ACCEPT)
                    .method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            String authorization = configuredAuthorization != null ? configuredAuthorization : url.authorization();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while " + what + " at " + url.display() + ".",
                        SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE, e);
            }
            return answer(response, url, what);
        }
        throw new SchemaRegistryException("Schema registry at " + location() + " is unreachable while " + what + ": "
                + lastFailure, SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE, lastFailure);
    }

    private static JsonNode answer(HttpResponse<String> response, RegistryUrl url, String what) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.nullNode();
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return json;
        }
        int errorCode = json.path("error_code").asInt(status);
        String message = json.path("message").asText(response.body());
        throw new SchemaRegistryException(String.format("Schema registry at %s refused %s: HTTP %d, error code %d: %s",
                url.display(), what, status, errorCode, message), status, errorCode, null);
    }

    private static String body(Schema schema) {
        return JSON.createObjectNode().put("schemaType", "AVRO").put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String authorization(AvroSerdeConfig config) {
        String token = config.bearerToken();
        if (token != null) {
            return "Bearer " + token;
        }
        String userInfo = config.basicAuthUserInfo();
        return userInfo == null ? null : basic(userInfo);
    }

    static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** A configured URL split into its base (without user info) and the basic auth its user info gives. */
    private record RegistryUrl(String base, String authorization) {

        static RegistryUrl parse(String url) {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            String userInfo = uri.getRawUserInfo();
            if (userInfo == null) {
                return new RegistryUrl(uri.toString(), null);
            }
            String base = uri.getScheme() + "://" + uri.getRawAuthority().substring(userInfo.length() + 1)
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
            return new RegistryUrl(base, basic(URLDecoder.decode(userInfo, StandardCharsets.UTF_8)));
        }

        /** The URL as it may appear in messages: never with credentials. */
        String display() {
            return base;
        }
    }
}
