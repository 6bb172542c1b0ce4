package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.devstack.S3Server;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Uploads against a real S3 server (s3proxy, in this JVM): one request, multipart, and how failures come out. */
class S3UploaderTest {

    private static final String BUCKET = "archive";
    private static final int PART_SIZE = S3ArchiveSinkConfig.S3_PART_SIZE_MIN;

    @TempDir
    Path dir;
    private S3Server server;
    private S3Client s3;

    @BeforeEach
    void startServer() {
        server = S3Server.start(dir);
        server.createBucket(BUCKET);
        s3 = S3Uploader.client(config(BUCKET, Map.of()));
    }

    @AfterEach
    void stopServer() {
        s3.close();
        server.close();
    }

    @Test
    void aSmallFileIsPutInOneRequest() {
        CompletedFile file = file("aima/t/dt=2026-03-01/hour=23/t+0+00000000000000000000.jsonl", 1_000);
        try (S3Uploader uploader = S3Uploader.create(config(BUCKET, Map.of()))) {
            uploader.upload(file);
        }

        assertThat(read(file.key())).isEqualTo(bytes(file));
        HeadObjectResponse head = s3.headObject(request -> request.bucket(BUCKET).key(file.key()));
        assertThat(head.contentType()).isEqualTo("application/x-ndjson");
        assertThat(head.eTag()).doesNotContain("-");
    }

    @Test
    void aFileLargerThanAPartIsUploadedInParts() {
        CompletedFile file = file("aima/t/dt=2026-03-01/hour=23/t+0+00000000000000000100.jsonl", 2 * PART_SIZE + 17);
        try (S3Uploader uploader = S3Uploader.create(config(BUCKET, Map.of()))) {
            uploader.upload(file);
        }

        assertThat(read(file.key())).isEqualTo(bytes(file));
        assertThat(s3.headObject(request -> request.bucket(BUCKET).key(file.key())).eTag())
                .as("a multipart ETag ends in the number of parts").endsWith("-3\"");
        assertThat(s3.listMultipartUploads(request -> request.bucket(BUCKET)).uploads()).isEmpty();
    }

    @Test
    void writingAKeyAgainReplacesTheObject() {
        CompletedFile file = file("aima/t/dt=2026-03-01/hour=23/t+0+00000000000000000000.avro", 300);
        try (S3Uploader uploader = S3Uploader.create(config(BUCKET, Map.of()))) {
            uploader.upload(file);
            uploader.upload(file);
        }

        assertThat(s3.listObjectsV2(request -> request.bucket(BUCKET)).contents()).hasSize(1);
        assertThat(read(file.key())).isEqualTo(bytes(file));
    }

    @Test
    void aMissingBucketFailsNamingBucketAndKey() {
        CompletedFile file = file("aima/t/x.jsonl", 10);
        try (S3Uploader uploader = S3Uploader.create(config("no-such-bucket", Map.of()))) {
            assertThatThrownBy(() -> uploader.upload(file))
                    .isInstanceOf(ConnectException.class).isNotInstanceOf(RetriableException.class)
                    .hasMessageContaining("s3://no-such-bucket/aima/t/x.jsonl")
                    .hasMessageContaining("HTTP 404 NoSuchBucket");
        }
    }

    @Test
    void wrongCredentialsFailForGood() {
        Map<String, String> wrong = Map.of(S3ArchiveSinkConfig.S3_SECRET_ACCESS_KEY_CONFIG, "wrong");
        try (S3Uploader uploader = S3Uploader.create(config(BUCKET, wrong))) {
            assertThatThrownBy(() -> uploader.upload(file("aima/t/x.jsonl", 10)))
                    .isInstanceOf(ConnectException.class).isNotInstanceOf(RetriableException.class)
                    .hasMessageContaining("HTTP 403");
        }
    }

    @Test
    void aServerThatIsDownIsWorthRetrying() {
        CompletedFile file = file("aima/t/x.jsonl", 10);
        try (S3Uploader uploader = S3Uploader.create(config(BUCKET, Map.of()))) {
            server.stop();
            assertThatThrownBy(() -> uploader.upload(file))
                    .isInstanceOf(RetriableException.class).hasMessageContaining("s3://archive/aima/t/x.jsonl");

            server.restart();
            uploader.upload(file);
        }
        assertThat(read(file.key())).isEqualTo(bytes(file));
    }

    @Test
    void serverSideEncryptionIsAskedForOnEveryObject() {
        CompletedFile file = file("k", 1);
        S3Uploader kms = new S3Uploader(s3, BUCKET, PART_SIZE, "aws:kms", "key-1");
        assertThat(kms.putRequest(file).serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(kms.putRequest(file).ssekmsKeyId()).isEqualTo("key-1");
        assertThat(kms.multipartRequest(file).serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(kms.multipartRequest(file).ssekmsKeyId()).isEqualTo("key-1");

        S3Uploader aes = new S3Uploader(s3, BUCKET, PART_SIZE, "AES256", null);
        assertThat(aes.putRequest(file).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(aes.putRequest(file).ssekmsKeyId()).isNull();
        S3Uploader none = new S3Uploader(s3, BUCKET, PART_SIZE, "none", null);
        assertThat(none.putRequest(file).serverSideEncryption()).isNull();
        assertThat(none.multipartRequest(file).serverSideEncryption()).isNull();
    }

    private S3ArchiveSinkConfig config(String bucket, Map<String, String> overrides) {
        Map<String, String> props = new java.util.HashMap<>(ArchiveTestSupport.s3Config(server, bucket));
        props.put(S3ArchiveSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused");
        props.put(S3ArchiveSinkConfig.S3_PART_SIZE_CONFIG, Integer.toString(PART_SIZE));
        props.putAll(overrides);
        return new S3ArchiveSinkConfig(props);
    }

    private byte[] read(String key) {
        return s3.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asByteArray();
    }

    /** A file of {@code length} random bytes in a larger buffer, as a closed file's buffer is. */
    private static CompletedFile file(String key, int length) {
        byte[] buffer = new byte[length + 100];
        new Random(length).nextBytes(buffer);
        return new CompletedFile(key, "application/x-ndjson", buffer, length, 0, 1, 1);
    }

    private static byte[] bytes(CompletedFile file) {
        return java.util.Arrays.copyOf(file.buffer(), file.length());
    }
}
