package com.aima.metrics.archive;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Which S3 failures may pass (retry the file later) and which need a person (fail the task). */
final class S3Errors {

    private S3Errors() {
    }

    /**
     * A {@link RetriableException} for a failure that may pass: no answer (connection refused or reset, a time-out,
     * credentials not obtainable now), a 5xx answer, throttling (429, 503 SlowDown) or 408; else a
     * {@link ConnectException} naming the bucket, the key, the HTTP status and S3's error code, for example a 404
     * NoSuchBucket or a 403 AccessDenied, which retrying does not mend.
     */
    static RuntimeException translate(SdkException error, String bucket, String key) {
        String where = "s3://" + bucket + "/" + key;
        if (error instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
            String answer = "HTTP " + status + (code == null || code.isEmpty() ? "" : " " + code);
            if (status >= 500 || status == 429 || status == 408 || service.isThrottlingException()) {
                return new RetriableException("Uploading " + where + " failed for now (" + answer + "): "
                        + service.getMessage(), service);
            }
            return new ConnectException("S3 refused " + where + " (" + answer + "): " + service.getMessage()
                    + " Check that bucket '" + bucket + "' exists and that the connector's credentials may write to"
                    + " it.", service);
        }
        if (error instanceof SdkClientException) {
            return new RetriableException("Uploading " + where + " failed for now, S3 did not answer: "
                    + error.getMessage(), error);
        }
        return new ConnectException("Uploading " + where + " failed: " + error.getMessage(), error);
    }
}
