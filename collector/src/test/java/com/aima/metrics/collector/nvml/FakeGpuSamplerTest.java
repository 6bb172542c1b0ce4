package com.aima.metrics.collector.nvml;

import com.aima.metrics.testing.LogCapture;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Base of the sampler tests: a {@link GpuSampler} on the fake driver, its clock fixed at {@link #NOW}, its log caught. */
abstract class FakeGpuSamplerTest extends FakeDriverTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    GpuSampler sampler;
    LogCapture log;

    @Override
    void opened() {
        sampler = new GpuSampler(nvml, "gpu-node-1", "collector-1", Clock.fixed(NOW, ZoneOffset.UTC));
        log = new LogCapture(GpuSampler.class);
    }

    @Override
    void closing() {
        log.close();
        sampler.close();
    }
}
