package com.aima.metrics.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleSchedulerTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00.250Z");
    private final List<MetricEvent> published = new ArrayList<>();
    private final EventSink sink = new EventSink() {
        @Override
        public void publishMetrics(List<MetricEvent> events) {
            published.addAll(events);
        }

        @Override
        public void publishJob(JobEvent event) {
            throw new UnsupportedOperationException();
        }
    };

    /** Returns one event per metric asked for, and records each call. */
    private static final class CountingSource implements MetricSource {
        final List<String> calls = new ArrayList<>();
        RuntimeException failure;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public Map<String, Duration> defaultIntervals() {
            Map<String, Duration> intervals = new LinkedHashMap<>();
            intervals.put("fast_percent", Duration.ofSeconds(10));
            intervals.put("also_fast_percent", Duration.ofSeconds(10));
            intervals.put("slow_celsius", Duration.ofSeconds(30));
            return intervals;
        }

        @Override
        public List<MetricEvent> sample(Set<String> metrics, Instant now) {
            calls.add(now + " " + new java.util.TreeSet<>(metrics));
            if (failure != null) {
                throw failure;
            }
            return metrics.stream().map(metric -> MetricEvent.newBuilder().setName(metric).setUnit("percent")
                    .setValue(1).setEventTime(now).setLabels(Map.of("node", "n1", "user_id", "alice", "secret", "x"))
                    .setSource(Source.newBuilder().setHost("n1").setCollectorId("c1").setKind(SourceKind.GPU).build())
                    .build()).toList();
        }
    }

    @Test
    void eachMetricAtItsIntervalOnAlignedInstants() {
        CountingSource source = new CountingSource();
        SampleScheduler scheduler = new SampleScheduler(List.of(source), Map.of(), sink, START);

        Instant next = scheduler.runDue(START);
        assertThat(next).isEqualTo(Instant.parse("2026-03-01T10:00:10Z"));
        for (int i = 0; i < 6; i++) {
            next = scheduler.runDue(next);
        }

        assertThat(source.calls).containsExactly(
                "2026-03-01T10:00:10Z [also_fast_percent, fast_percent]",
                "2026-03-01T10:00:20Z [also_fast_percent, fast_percent]",
                "2026-03-01T10:00:30Z [also_fast_percent, fast_percent]",
                "2026-03-01T10:00:30Z [slow_celsius]",
                "2026-03-01T10:00:40Z [also_fast_percent, fast_percent]",
                "2026-03-01T10:00:50Z [also_fast_percent, fast_percent]",
                "2026-03-01T10:01:00Z [also_fast_percent, fast_percent]",
                "2026-03-01T10:01:00Z [slow_celsius]");
        assertThat(scheduler.health().get("test").samples()).hasValue(8);
        assertThat(scheduler.health().get("test").events()).hasValue(14);
    }

    @Test
    void configuredIntervalsOverrideDefaultsAndUnknownOnesAreRefused() {
        CountingSource source = new CountingSource();
        SampleScheduler scheduler = new SampleScheduler(List.of(source),
                Map.of("slow_celsius", Duration.ofSeconds(10), "fast_percent", Duration.ofMinutes(1)), sink,
                START);

        scheduler.runDue(Instant.parse("2026-03-01T10:00:10Z"));
        assertThat(source.calls).containsExactly("2026-03-01T10:00:10Z [also_fast_percent, slow_celsius]");

        assertThatThrownBy(() -> new SampleScheduler(List.of(source), Map.of("gpu_fan_rpm", Duration.ofSeconds(5)),
                sink, START)).hasMessageContaining("gpu_fan_rpm").hasMessageContaining("slow_celsius");
        assertThatThrownBy(() -> new SampleScheduler(List.of(source), Map.of("slow_celsius", Duration.ZERO),
                sink, START)).hasMessageContaining("intervals.slow_celsius");
    }


    @Test
    void aFailingSourceIsCountedAndTriedAgainNextTime() {
        CountingSource source = new CountingSource();
        source.failure = new IllegalStateException("NVML went away");
        SampleScheduler scheduler = new SampleScheduler(List.of(source), Map.of(), sink, START);

        Instant next = scheduler.runDue(Instant.parse("2026-03-01T10:00:10Z"));
        source.failure = null;
        scheduler.runDue(next);

        assertThat(scheduler.health().get("test").errors()).hasValue(1);
        assertThat(scheduler.health().get("test").samples()).hasValue(1);
        assertThat(published).hasSize(2);
    }

    @Test
    void afterASuspensionEachTaskSamplesOnceAndSkipsAhead() {
        CountingSource source = new CountingSource();
        SampleScheduler scheduler = new SampleScheduler(List.of(source), Map.of(), sink, START);

        Instant next = scheduler.runDue(Instant.parse("2026-03-01T10:05:03Z"));

        assertThat(source.calls).hasSize(2);
        assertThat(next).isEqualTo(Instant.parse("2026-03-01T10:05:10Z"));
    }
}
