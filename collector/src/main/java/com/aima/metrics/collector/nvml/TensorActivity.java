package com.aima.metrics.collector.nvml;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Tensor-core activity of each GPU through GPM (Hopper and newer), which computes metrics from two samples taken
 * some time apart. Holds two sample buffers per GPU, the previous sample in one, fills the other and reports the
 * activity between the two; then the new sample becomes the previous one. The buffers are NVML memory: {@link #close}
 * frees them, before NVML is shut down. Not thread-safe.
 */
final class TensorActivity implements AutoCloseable {

    private final Nvml nvml;
    private final Map<Integer, Buffers> buffers = new HashMap<>();

    private static final class Buffers {
        private Nvml.GpmSample previous;
        private Nvml.GpmSample next;
        private boolean hasPrevious;

        Buffers(Nvml.GpmSample previous, Nvml.GpmSample next) {
            this.previous = previous;
            this.next = next;
        }

        void advance() {
            Nvml.GpmSample filled = next;
            next = previous;
            previous = filled;
            hasPrevious = true;
        }
    }

    TensorActivity(Nvml nvml) {
        this.nvml = nvml;
    }

    /**
     * Percent of the time since the previous call for {@code gpu} that its SMs ran any tensor operation, 0.0 - 100.0;
     * empty on the first call, which takes the first sample.
     *
     * @throws NvmlException NOT_SUPPORTED where the GPU or the driver has no GPM, or the error of a GPM call
     */
    OptionalDouble percentSincePrevious(Nvml.Device gpu) {
        Buffers gpuBuffers = buffers.get(gpu.index());
        if (gpuBuffers == null) {
            if (!nvml.gpmSupported(gpu)) {
                throw new NvmlException("GPU " + gpu.index() + " does not support GPM (nvmlGpmQueryDeviceSupport).",
                        NvmlReturn.ERROR_NOT_SUPPORTED);
            }
            gpuBuffers = allocate();
            buffers.put(gpu.index(), gpuBuffers);
        }
        nvml.gpmSample(gpu, gpuBuffers.next);
        try {
            return gpuBuffers.hasPrevious
                    ? OptionalDouble.of(nvml.gpmMetric(gpu, gpuBuffers.previous, gpuBuffers.next,
                            NvmlLibrary.GpmMetricsGet.METRIC_ANY_TENSOR_UTIL))
                    : OptionalDouble.empty();
        } finally {
            gpuBuffers.advance(); // the new sample is good even where the metric failed
        }
    }

    private Buffers allocate() {
        Nvml.GpmSample first = nvml.allocateGpmSample();
        try {
            return new Buffers(first, nvml.allocateGpmSample());
        } catch (NvmlException e) {
            nvml.freeGpmSample(first);
            throw e;
        }
    }

    /**
     * Frees every sample buffer, trying all of them.
     *
     * @throws NvmlException the first failure to free one, with any later ones suppressed
     */
    @Override
    public void close() {
        NvmlException failure = null;
        for (Buffers gpuBuffers : buffers.values()) {
            for (Nvml.GpmSample sample : new Nvml.GpmSample[] {gpuBuffers.previous, gpuBuffers.next}) {
                try {
                    nvml.freeGpmSample(sample);
                } catch (NvmlException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        buffers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
