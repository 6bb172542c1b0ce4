package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void keysHaveTheTopicTheRecordHourAndTheZeroPaddedStartOffset() {
        String key = ObjectKeys.key("aima", "aima.metrics.raw", 3, 42,
                ObjectKeys.timePartition(ms("2026-03-01T23:15:00Z")), "avro");

        assertThat(key).isEqualTo("aima/aima.metrics.raw/dt=2026-03-01/hour=23/"
                + "aima.metrics.raw+3+00000000000000000042.avro");
    }

    @Test
    void theOffsetHasTwentyDigitsSoThatKeysSortByOffset() {
        assertThat(ObjectKeys.fileName("t", 0, 0)).isEqualTo("t+0+00000000000000000000");
        assertThat(ObjectKeys.fileName("t", 0, Long.MAX_VALUE)).isEqualTo("t+0+09223372036854775807");
        assertThat(ObjectKeys.fileName("t", 0, 9)).isLessThan(ObjectKeys.fileName("t", 0, 10));
    }

    @Test
    void dateAndHourAreThoseOfTheRecordTimeInUtc() {
        assertThat(ObjectKeys.timePartition(ms("2026-03-01T23:59:59.999Z"))).isEqualTo("dt=2026-03-01/hour=23");
        assertThat(ObjectKeys.timePartition(ms("2026-03-02T00:00:00Z"))).isEqualTo("dt=2026-03-02/hour=00");
        assertThat(ObjectKeys.timePartition(ms("2026-03-02T09:59:59.999Z"))).isEqualTo("dt=2026-03-02/hour=09");
        assertThat(ObjectKeys.timePartition(ms("2026-03-02T10:00:00Z"))).isEqualTo("dt=2026-03-02/hour=10");
        assertThat(ObjectKeys.timePartition(ms("2024-12-31T23:00:00Z"))).isEqualTo("dt=2024-12-31/hour=23");
    }

    @Test
    void aRecordWithoutTimeIsFiledAtTheEpoch() {
        assertThat(ObjectKeys.timePartition(null)).isEqualTo("dt=1970-01-01/hour=00");
    }

    @Test
    void anEmptyPrefixPutsTheTopicFirst() {
        assertThat(ObjectKeys.key("", "aima.jobs", 0, 1, "dt=2026-03-01/hour=00", "csv.gz"))
                .isEqualTo("aima.jobs/dt=2026-03-01/hour=00/aima.jobs+0+00000000000000000001.csv.gz");
        assertThat(ObjectKeys.key("archive/prod", "aima.jobs", 0, 1, "dt=2026-03-01/hour=00", "jsonl"))
                .startsWith("archive/prod/aima.jobs/");
    }

    @Test
    void aPrefixHasNoSlashAtEitherEnd() {
        assertThat(ObjectKeys.requireValidPrefix("s3.prefix", "a/b")).isEqualTo("a/b");
        assertThatThrownBy(() -> ObjectKeys.requireValidPrefix("s3.prefix", "/aima"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3.prefix").hasMessageContaining("/aima");
        assertThatThrownBy(() -> ObjectKeys.requireValidPrefix("s3.prefix", "aima/"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ObjectKeys.requireValidPrefix("s3.prefix", "a//b"))
                .isInstanceOf(ConfigException.class);
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
