package com.aima.metrics.archive;

import com.aima.metrics.devstack.S3Server;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Settings and reads shared by the archive sink's tests against a real S3 server. */
final class ArchiveTestSupport {

    private ArchiveTestSupport() {
    }

    /** The connector keys that point at {@code server}'s {@code bucket}, path-style, with its credentials. */
    static Map<String, String> s3Config(S3Server server, String bucket) {
        Map<String, String> props = new HashMap<>();
        props.put(S3ArchiveSinkConfig.S3_BUCKET_NAME_CONFIG, bucket);
        props.put(S3ArchiveSinkConfig.S3_ENDPOINT_CONFIG, server.endpoint().toString());
        props.put(S3ArchiveSinkConfig.S3_PATH_STYLE_ACCESS_CONFIG, "true");
        props.put(S3ArchiveSinkConfig.S3_REGION_CONFIG, S3Server.REGION);
        props.put(S3ArchiveSinkConfig.S3_ACCESS_KEY_ID_CONFIG, server.accessKey());
        props.put(S3ArchiveSinkConfig.S3_SECRET_ACCESS_KEY_CONFIG, server.secretKey());
        return props;
    }

    /** Every object under {@code prefix}/ in {@code bucket}: its key without the prefix, and its bytes, by key. */
    static Map<String, byte[]> objects(S3Client s3, String bucket, String prefix) {
        Map<String, byte[]> objects = new TreeMap<>();
        for (String key : keys(s3, bucket, prefix)) {
            objects.put(key.substring(prefix.length() + 1),
                    s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray());
        }
        return objects;
    }

    /** The keys under {@code prefix}/ in {@code bucket}, sorted. */
    static List<String> keys(S3Client s3, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix + "/")).contents()
                .forEach((S3Object object) -> keys.add(object.key()));
        keys.sort(null);
        return keys;
    }
}
