package com.aima.metrics.notify;

import java.net.URI;
import java.util.Map;

/**
 * The production connector with one test channel, {@code webhook}, an {@link HttpPostChannel} to
 * {@value #URL_CONFIG}; everything else (decoding, routing, grouping, retries, marks, offsets, dead letters) is the
 * production code. Registered in the test resources' {@code META-INF/services}, so the Connect worker of the
 * integration test finds it as it finds the production connector. Goes away once the real channels are merged.
 */
public class HttpTestNotificationSinkConnector extends AlertNotificationSinkConnector {

    static final String URL_CONFIG = "test.webhook.url";

    @Override
    public Class<? extends org.apache.kafka.connect.connector.Task> taskClass() {
        return WebhookTask.class;
    }

    /** The production task with the test channel. */
    public static class WebhookTask extends AlertNotificationSinkTask {

        public WebhookTask() {
            super(settings -> Map.of("webhook", new HttpPostChannel("webhook", URI.create(settings.get(URL_CONFIG)))));
        }
    }
}
