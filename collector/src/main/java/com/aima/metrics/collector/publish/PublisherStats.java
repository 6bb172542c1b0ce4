package com.aima.metrics.collector.publish;

/**
 * Health counters of a {@link KafkaPublisher}, for the collector's {@code /metrics} endpoint. Counts are events since
 * the publisher started; the spool figures are now.
 *
 * @param spooled      events written to the spool
 * @param sent         events Kafka acknowledged on their topic
 * @param deadLettered events the schema registry refused (or that could not be read back), acknowledged on the dead
 *                     letter topic instead
 * @param rejected     events Kafka refused for good (for example too large); skipped and logged
 * @param dropped      events dropped unsent because the spool was full
 * @param sendErrors   failed attempts that are retried: Kafka or the schema registry unreachable, producer failures
 * @param spoolRecords events in the spool not yet acknowledged
 * @param spoolBytes   bytes of the spool files on disk
 */
public record PublisherStats(long spooled, long sent, long deadLettered, long rejected, long dropped, long sendErrors,
        long spoolRecords, long spoolBytes) {
}
