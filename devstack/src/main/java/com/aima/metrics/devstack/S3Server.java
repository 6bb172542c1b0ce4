package com.aima.metrics.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A real S3 API server in this JVM: s3proxy ({@code org.gaul:s3proxy}) on a free port of 127.0.0.1, storing buckets
 * as directories and objects as files under one directory, so that they survive {@link #restart()} and a new server
 * over the same directory. It checks AWS signatures (V2 and V4) against {@link #accessKey()} and {@link #secretKey()}
 * and speaks multipart uploads. For the local run and the tests; needs {@code org.gaul:s3proxy} and, for
 * {@link #client()}, {@code software.amazon.awssdk:s3} on the class path (optional dependencies of this module).
 *
 * <p>Not thread-safe: one thread starts, stops and restarts it.
 */
public final class S3Server implements AutoCloseable {

    /** The fixed credentials the server accepts; any client of this local server may know them. */
    public static final String ACCESS_KEY = "aima-local";
    public static final String SECRET_KEY = "aima-local-secret";
    /** The region a client should sign for; s3proxy accepts any, this is the SDK's usual default. */
    public static final String REGION = "us-east-1";

    private static final long STOP_TIMEOUT_MS = 0;

    private final Path dir;
    private final int port;
    private BlobStore store;
    private S3Proxy proxy;

    private S3Server(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts a server over {@code dir} (created when missing; buckets already in it are served) on a free port.
     *
     * @throws IllegalStateException if the server does not start
     */
    public static S3Server start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the S3 data directory " + dir + ".", e);
        }
        S3Server server = new S3Server(dir.toAbsolutePath(), FreePorts.pick());
        server.startProxy();
        return server;
    }

    private void startProxy() {
        store = new FilesystemNio2BlobStore(dir.toString());
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The AWS SDK sends headers (checksums, SDK metadata) s3proxy does not know; it refuses them otherwise.
                .ignoreUnknownHeaders(true)
                // Stop at once (0: no graceful wait for open connections), as a crashed server would.
                .stopTimeout(STOP_TIMEOUT_MS)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("The S3 server (s3proxy) did not start on 127.0.0.1:" + port + " over "
                    + dir + ".", e);
        }
    }

    /** Where clients send requests, for example {@code http://127.0.0.1:40123}. Use path-style access. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The directory that holds the buckets: one sub-directory per bucket, one file per object. */
    public Path dir() {
        return dir;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** A client builder for this server: its endpoint, path-style access, {@link #REGION} and its credentials. */
    public S3ClientBuilder clientBuilder() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    /** A client of this server, as {@link #clientBuilder()} sets it up; the caller closes it. */
    public S3Client client() {
        return clientBuilder().build();
    }

    /** Creates bucket {@code name} unless it exists. */
    public void createBucket(String name) {
        if (store == null) {
            throw new IllegalStateException("The S3 server is stopped; start it before creating bucket " + name + ".");
        }
        if (!store.containerExists(name)) {
            store.createContainer(name);
        }
    }

    /** Whether the server is accepting requests. */
    public boolean isRunning() {
        return proxy != null;
    }

    /** Stops accepting requests; the data stays in {@link #dir()}. A no-op when stopped. */
    public void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The S3 server on 127.0.0.1:" + port + " did not stop.", e);
        } finally {
            proxy = null;
            store.close();
            store = null;
        }
    }

    /** Stops (when running) and starts again on the same port over the same data. */
    public void restart() {
        stop();
        startProxy();
    }

    @Override
    public void close() {
        stop();
    }
}
