package com.aima.metrics.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3ServerTest {

    @TempDir
    Path dir;

    @Test
    void objectsSurviveARestartOnTheSamePort() {
        try (S3Server server = S3Server.start(dir)) {
            server.createBucket("archive");
            int port = server.port();
            try (S3Client s3 = server.client()) {
                s3.putObject(put -> put.bucket("archive").key("a/b.txt"), RequestBody.fromString("hello"));

                server.stop();
                assertThat(server.isRunning()).isFalse();
                assertThatThrownBy(() -> s3.getObjectAsBytes(get -> get.bucket("archive").key("a/b.txt")))
                        .isInstanceOf(SdkClientException.class);

                server.restart();
                assertThat(server.port()).isEqualTo(port);
                assertThat(s3.getObjectAsBytes(get -> get.bucket("archive").key("a/b.txt")).asString(
                        StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            assertThat(dir.resolve("archive")).isDirectory();
        }
    }

    @Test
    void aWrongSecretIsRefused() {
        try (S3Server server = S3Server.start(dir);
             S3Client s3 = server.clientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                     AwsBasicCredentials.create(server.accessKey(), "wrong"))).build()) {
            server.createBucket("archive");
            assertThatThrownBy(() -> s3.listObjectsV2(list -> list.bucket("archive")))
                    .hasMessageContaining("Status Code: 403").hasMessageContaining("signature");
        }
    }
}
