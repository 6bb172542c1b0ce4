package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.rollup.RollupConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS ({@code api.tls.*}) with a self-signed certificate that the JDK's keytool makes for 127.0.0.1:
 * a client trusting the truststore (the context the instances use to call each other) is served, a request still
 * passes the token check, plain HTTP and a client that does not trust the certificate are refused, and a keystore
 * with the wrong password is a configuration error naming the key.
 */
class ApiTlsTest {

    private static final String PASSWORD = "changeit";
    private static final String SECURITY = """
            roles:
              admin: ["metrics:read:*"]
            tokens:
              - name: admin
                token: admin-token
                roles: [admin]
            """;

    @TempDir
    static Path stores;
    private static Path keystore;
    private static Path truststore;
    private ApiServer server;

    @BeforeAll
    static void makeTheCertificate() throws Exception {
        Files.writeString(stores.resolve("security.yaml"), SECURITY);
        keystore = stores.resolve("api.p12");
        truststore = stores.resolve("trust.p12");
        Path certificate = stores.resolve("api.pem");
        keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "api", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool " + arguments[0] + ": " + output).isZero();
    }

    private static ApiConfig config(String keystorePassword) {
        Map<String, Object> settings = new HashMap<>(Map.of(ApiConfig.PORT_CONFIG, "0",
                ApiConfig.BIND_ADDRESS_CONFIG, "127.0.0.1", ApiConfig.ADVERTISED_HOST_CONFIG, "127.0.0.1",
                ApiConfig.SECURITY_FILE_CONFIG, stores.resolve("security.yaml").toString(),
                ApiConfig.TLS_KEYSTORE_PATH_CONFIG, keystore.toString(),
                ApiConfig.TLS_KEYSTORE_PASSWORD_CONFIG, keystorePassword,
                ApiConfig.TLS_TRUSTSTORE_PATH_CONFIG, truststore.toString(),
                ApiConfig.TLS_TRUSTSTORE_PASSWORD_CONFIG, PASSWORD));
        return new ApiConfig(settings);
    }

    /** Binds as the streams app does (security file, TLS context from the settings); no backend. */
    private ApiServer start(ApiConfig api) throws IOException {
        ApiServer started = ApiServer.bind(api, new RollupConfig(Map.of()));
        started.start((ApiServer.Backend) null);
        return started;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(SSLContext trust, URI uri, String token) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (trust != null) {
            client.sslContext(trust);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApiSpeaksHttpsToClientsThatTrustItsCertificate() throws Exception {
        ApiConfig api = config(PASSWORD);
        server = start(api);
        assertThat(server.tls()).isTrue();
        SSLContext peers = Tls.client(api); // what one instance uses to call another
        String base = "https://127.0.0.1:" + server.port();

        HttpResponse<String> document = get(peers, URI.create(base + ApiServer.OPENAPI_PATH), null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("\"openapi\"");
        // past the token check (no backend in this test: "starting")
        HttpResponse<String> query = get(peers, URI.create(base + "/metrics/raw/gpu_utilization_percent"),
                "admin-token");
        assertThat(query.statusCode()).as(query.body()).isEqualTo(503);
        assertThat(get(peers, URI.create(base + "/metrics/raw/gpu_utilization_percent"), "wrong").statusCode())
                .isEqualTo(401);
    }

    @Test
    void plainHttpAndClientsThatDoNotTrustTheCertificateAreRefused() throws Exception {
        server = start(config(PASSWORD));
        URI https = URI.create("https://127.0.0.1:" + server.port() + ApiServer.OPENAPI_PATH);

        assertThatThrownBy(() -> get(SSLContext.getDefault(), https, null)).isInstanceOf(SSLHandshakeException.class);
        URI http = URI.create("http://127.0.0.1:" + server.port() + ApiServer.OPENAPI_PATH);
        assertThatThrownBy(() -> get(null, http, null)).isInstanceOf(IOException.class);
    }

    @Test
    void aKeystoreWithAnotherPasswordIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> Tls.server(config("not-the-password")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ApiConfig.TLS_KEYSTORE_PATH_CONFIG);
    }
}
