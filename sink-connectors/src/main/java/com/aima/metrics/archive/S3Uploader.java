package com.aima.metrics.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Puts closed files into the bucket under their keys: in one PutObject up to {@code partSize} bytes, else as a
 * multipart upload of {@code partSize}-byte parts (the last one smaller) that is aborted when any part fails, so
 * that no half-written object and no orphaned parts remain. Writing a key again replaces the object, which is what
 * makes a replay harmless. Failures are translated by {@link S3Errors}. Used by one thread.
 */
final class S3Uploader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3Uploader.class);
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final ServerSideEncryption sse;
    private final String kmsKeyId;

    S3Uploader(S3Client s3, String bucket, int partSize, String sse, String kmsKeyId) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.sse = "none".equals(sse) ? null : ServerSideEncryption.fromValue(sse);
        this.kmsKeyId = kmsKeyId;
    }

    /** An uploader with the client, bucket, part size and encryption that {@code config} names. */
    static S3Uploader create(S3ArchiveSinkConfig config) {
        return new S3Uploader(client(config), config.bucket(), config.partSize(), config.sse(), config.sseKmsKeyId());
    }

    /** The S3 client of {@code config}: its region, endpoint, addressing and credentials, Apache HTTP client. */
    static S3Client client(S3ArchiveSinkConfig config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyleAccess())
                .credentialsProvider(credentials(config))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(CONNECTION_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3ArchiveSinkConfig config) {
        if (config.accessKeyId() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(),
                config.secretAccessKey()));
    }

    /**
     * Puts {@code file} under its key.
     *
     * @throws RetriableException for a failure that may pass: no connection, a time-out, throttling, a 5xx answer
     * @throws ConnectException   naming bucket and key for a refusal: no such bucket, access denied, any other 4xx
     */
    void upload(CompletedFile file) {
        try {
            if (file.length() <= partSize) {
                s3.putObject(putRequest(file), RequestBody.fromContentProvider(
                        () -> file.slice(0, file.length()), file.length(), file.contentType()));
            } else {
                uploadInParts(file);
            }
        } catch (SdkException e) {
            throw S3Errors.translate(e, bucket, file.key());
        }
    }

    PutObjectRequest putRequest(CompletedFile file) {
        return PutObjectRequest.builder()
                .bucket(bucket)
                .key(file.key())
                .contentType(file.contentType())
                .contentLength((long) file.length())
                .serverSideEncryption(sse)
                .ssekmsKeyId(sse == ServerSideEncryption.AWS_KMS ? kmsKeyId : null)
                .build();
    }

    CreateMultipartUploadRequest multipartRequest(CompletedFile file) {
        return CreateMultipartUploadRequest.builder()
                .bucket(bucket)
                .key(file.key())
                .contentType(file.contentType())
                .serverSideEncryption(sse)
                .ssekmsKeyId(sse == ServerSideEncryption.AWS_KMS ? kmsKeyId : null)
                .build();
    }

    private void uploadInParts(CompletedFile file) {
        String uploadId = s3.createMultipartUpload(multipartRequest(file)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int offset = 0, number = 1; offset < file.length(); offset += partSize, number++) {
                int length = Math.min(partSize, file.length() - offset);
                int from = offset;
                int partNumber = number;
                String etag = s3.uploadPart(part -> part.bucket(bucket).key(file.key()).uploadId(uploadId)
                                .partNumber(partNumber).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> file.slice(from, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(file.key()).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (RuntimeException e) {
            abortQuietly(file, uploadId, e);
            throw e;
        }
    }

    private void abortQuietly(CompletedFile file, String uploadId, Exception cause) {
        try {
            s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(file.key()).uploadId(uploadId));
        } catch (SdkException e) {
            cause.addSuppressed(e);
            log.warn("Aborting multipart upload {} of s3://{}/{} failed too; S3 removes its parts only by a bucket"
                    + " lifecycle rule (AbortIncompleteMultipartUpload).", uploadId, bucket, file.key(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
