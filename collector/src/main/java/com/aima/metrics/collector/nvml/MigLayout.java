package com.aima.metrics.collector.nvml;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The MIG devices of each GPU, enumerated once and reused for {@value #REFRESH_SAMPLES} samples (5 minutes at the
 * 10 s default interval), then enumerated again. Enumerating costs about 30 NVML calls per MIG GPU, and MIG layouts
 * change only when an administrator creates or destroys instances. A destroyed instance shows at once: its handle
 * then fails, and the caller {@link #invalidate}s the GPU's layout. A new instance shows at the next refresh at the
 * latest, and so does an instance destroyed and created again in the same slot, whose reused handle NVML may answer
 * with the new instance's properties. Not thread-safe.
 */
final class MigLayout {

    /** Samples a layout is reused for before it is enumerated again. */
    static final int REFRESH_SAMPLES = 30;

    private final Nvml nvml;
    private final Map<Integer, Cached> layouts = new HashMap<>();

    private record Cached(List<Nvml.MigDevice> devices, int uses) {
    }

    MigLayout(Nvml nvml) {
        this.nvml = nvml;
    }

    /**
     * The MIG devices of {@code gpu} for one sample, empty when MIG is off; enumerated on the first call, after
     * {@link #invalidate} and every {@value #REFRESH_SAMPLES} calls.
     *
     * @throws NvmlException if enumerating fails; nothing is cached then
     */
    List<Nvml.MigDevice> devices(Nvml.Device gpu) {
        Cached cached = layouts.get(gpu.index());
        if (cached == null || cached.uses() >= REFRESH_SAMPLES) {
            cached = new Cached(nvml.migDevices(gpu), 0);
        }
        layouts.put(gpu.index(), new Cached(cached.devices(), cached.uses() + 1));
        return cached.devices();
    }

    /** Drops the layout of {@code gpu}: a call on one of its MIG devices said that it changed. */
    void invalidate(int gpu) {
        layouts.remove(gpu);
    }
}
