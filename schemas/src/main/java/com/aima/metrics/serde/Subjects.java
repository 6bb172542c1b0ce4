package com.aima.metrics.serde;

/** Confluent's TopicNameStrategy, the only subject naming this serde implements. */
public final class Subjects {

    private Subjects() {
    }

    /** {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
