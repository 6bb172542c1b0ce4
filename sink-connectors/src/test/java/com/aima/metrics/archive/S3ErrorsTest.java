package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which answers S3 may mend by itself (retry) and which need a person (fail), for answers s3proxy does not give. */
class S3ErrorsTest {

    @Test
    void serverErrorsThrottlingAndTimeOutsAreRetried() {
        assertThat(translate(500, "InternalError")).isInstanceOf(RetriableException.class)
                .hasMessageContaining("s3://b/k").hasMessageContaining("HTTP 500 InternalError");
        assertThat(translate(503, "SlowDown")).isInstanceOf(RetriableException.class);
        assertThat(translate(429, "TooManyRequests")).isInstanceOf(RetriableException.class);
        assertThat(translate(408, "RequestTimeout")).isInstanceOf(RetriableException.class);
        assertThat(translate(400, "Throttling")).as("throttling by its error code").isInstanceOf(
                RetriableException.class);
        assertThat(S3Errors.translate(ApiCallTimeoutException.create(30_000), "b", "k"))
                .isInstanceOf(RetriableException.class);
        assertThat(S3Errors.translate(SdkClientException.create("Connection reset"), "b", "k"))
                .isInstanceOf(RetriableException.class);
    }

    @Test
    void refusalsFailNamingBucketKeyStatusAndCode() {
        assertThat(translate(403, "AccessDenied")).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("s3://b/k").hasMessageContaining("HTTP 403 AccessDenied")
                .hasMessageContaining("bucket 'b'");
        assertThat(translate(404, "NoSuchBucket")).isNotInstanceOf(RetriableException.class);
        assertThat(translate(400, "InvalidArgument")).isNotInstanceOf(RetriableException.class);
    }

    private static RuntimeException translate(int status, String code) {
        S3Exception error = (S3Exception) S3Exception.builder()
                .statusCode(status)
                .message("answer " + code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("answer " + code).build())
                .build();
        return S3Errors.translate(error, "b", "k");
    }
}
