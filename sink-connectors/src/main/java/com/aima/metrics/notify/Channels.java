package com.aima.metrics.notify;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The channels' settings and the channels built from them. SKELETON: the channel implementations fill this in.
 */
public final class Channels {

    private Channels() {
    }

    /** Adds every channel's settings ({@code slack.*}, {@code teams.*}, {@code email.*}, {@code webhook.*},
     *  {@code sms.*}) to {@code config} and returns it. */
    public static ConfigDef define(ConfigDef config) {
        return config;
    }

    /**
     * The channels configured in {@code settings}, by name; a channel without its required setting (for example
     * {@code slack.webhook.url}) is absent.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the setting and value that are wrong
     */
    public static Map<String, Channel> create(Map<String, ?> settings) {
        return Map.of();
    }
}
