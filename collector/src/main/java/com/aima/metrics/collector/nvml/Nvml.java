package com.aima.metrics.collector.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A typed view of NVML for one collector: initialises the library, reads devices, turns error codes into
 * {@link NvmlException}s that name the call and the GPU, and shuts NVML down on {@link #close()}. Not thread-safe.
 */
public final class Nvml implements AutoCloseable {

    /** The library the NVIDIA driver installs. */
    public static final String DRIVER_LIBRARY = "libnvidia-ml.so.1";
    private static final int NAME_BUFFER_BYTES = 96; // NVML_DEVICE_NAME_V2_BUFFER_SIZE
    private static final int UUID_BUFFER_BYTES = 80; // NVML_DEVICE_UUID_V2_BUFFER_SIZE
    private static final int TEMPERATURE_GPU = 0; // NVML_TEMPERATURE_GPU
    private static final int PCIE_TX = 0; // NVML_PCIE_UTIL_TX_BYTES
    private static final int PCIE_RX = 1; // NVML_PCIE_UTIL_RX_BYTES
    private static final int PROCESS_LIST_ATTEMPTS = 5;
    private static final int PROCESS_INFO_V2_BYTES = 24;
    private static final int PROCESS_INFO_V3_BYTES = 32;
    private static final int PID_MAX = 1 << 22; // the largest pid_max Linux allows
    private static final int MIG_ENABLED = 1; // NVML_DEVICE_MIG_ENABLE

    private final NvmlLibrary nvml;

    private Nvml(NvmlLibrary nvml) {
        this.nvml = nvml;
    }

    /**
     * Loads {@code library} (a name the dynamic linker finds, or a path) and initialises NVML.
     *
     * @throws UnsatisfiedLinkError if the library cannot be loaded (no NVIDIA driver)
     * @throws NvmlException        if {@code nvmlInit_v2} fails, for example DRIVER_NOT_LOADED
     */
    public static Nvml open(String library) {
        NvmlLibrary nvml = Native.load(library, NvmlLibrary.class);
        Nvml opened = new Nvml(nvml);
        opened.check(nvml.nvmlInit_v2(), "nvmlInit_v2", -1);
        return opened;
    }

    /** A GPU by its NVML index and handle. */
    public record Device(int index, Pointer handle) {
    }

    /** Percent of the last sample period the GPU's kernels and its memory were busy. */
    public record Utilization(int gpuPercent, int memoryPercent) {
    }

    /** Frame-buffer memory in bytes. */
    public record MemoryInfo(long totalBytes, long reservedBytes, long freeBytes, long usedBytes) {
    }

    /** A process with a compute context on a GPU, and the GPU memory it uses in bytes. */
    public record ProcessUsage(int pid, long usedGpuMemoryBytes, int gpuInstanceId, int computeInstanceId) {
    }

    /**
     * One process's utilization of a GPU in percent (SM, frame-buffer memory, encoder, decoder), as the driver sampled
     * it at {@code timestampUs}, a CPU timestamp in microseconds.
     */
    public record ProcessUtilization(int pid, long timestampUs, int smPercent, int memoryPercent, int encoderPercent,
                                     int decoderPercent) {
    }

    /**
     * A MIG device (one compute instance of a GPU instance) in slot {@code slot} of GPU {@code parent}. Its handle
     * serves the device queries that work on MIG devices ({@link #memory(MigDevice)}); it turns invalid when the
     * instance is destroyed.
     */
    public record MigDevice(Device parent, int slot, Pointer handle, int gpuInstanceId, int computeInstanceId,
                            String uuid) {
    }

    /** A buffer for one GPM sample, from {@link #allocateGpmSample()}; free it with {@link #freeGpmSample}. */
    public record GpmSample(Pointer handle) {
    }

    public int deviceCount() {
        IntByReference count = new IntByReference();
        check(nvml.nvmlDeviceGetCount_v2(count), "nvmlDeviceGetCount_v2", -1);
        return count.getValue();
    }

    public Device device(int index) {
        PointerByReference handle = new PointerByReference();
        check(nvml.nvmlDeviceGetHandleByIndex_v2(index, handle), "nvmlDeviceGetHandleByIndex_v2", index);
        return new Device(index, handle.getValue());
    }

    public String name(Device device) {
        byte[] name = new byte[NAME_BUFFER_BYTES];
        check(nvml.nvmlDeviceGetName(device.handle(), name, name.length), "nvmlDeviceGetName", device.index());
        return cString(name);
    }

    public String uuid(Device device) {
        byte[] uuid = new byte[UUID_BUFFER_BYTES];
        check(nvml.nvmlDeviceGetUUID(device.handle(), uuid, uuid.length), "nvmlDeviceGetUUID", device.index());
        return cString(uuid);
    }

    public Utilization utilization(Device device) {
        return utilization(device.handle(), where(device));
    }

    /** Utilization of a MIG device: NOT_SUPPORTED, since nvml.h has it unsupported on MIG-enabled GPUs so far. */
    public Utilization utilization(MigDevice device) {
        return utilization(device.handle(), where(device));
    }

    private Utilization utilization(Pointer handle, String where) {
        NvmlLibrary.Utilization utilization = new NvmlLibrary.Utilization();
        check(nvml.nvmlDeviceGetUtilizationRates(handle, utilization), "nvmlDeviceGetUtilizationRates", where);
        return new Utilization(utilization.gpu, utilization.memory);
    }

    public MemoryInfo memory(Device device) {
        return memory(device.handle(), where(device));
    }

    /** Memory of a MIG device: that of its GPU instance, which the compute instances in it share. */
    public MemoryInfo memory(MigDevice device) {
        return memory(device.handle(), where(device));
    }

    private MemoryInfo memory(Pointer handle, String where) {
        NvmlLibrary.MemoryV2 memory = new NvmlLibrary.MemoryV2();
        check(nvml.nvmlDeviceGetMemoryInfo_v2(handle, memory), "nvmlDeviceGetMemoryInfo_v2", where);
        return new MemoryInfo(memory.total, memory.reserved, memory.free, memory.used);
    }

    public int temperatureCelsius(Device device) {
        IntByReference celsius = new IntByReference();
        check(nvml.nvmlDeviceGetTemperature(device.handle(), TEMPERATURE_GPU, celsius), "nvmlDeviceGetTemperature",
                device.index());
        return celsius.getValue();
    }

    public double powerWatts(Device device) {
        IntByReference milliwatts = new IntByReference();
        check(nvml.nvmlDeviceGetPowerUsage(device.handle(), milliwatts), "nvmlDeviceGetPowerUsage", device.index());
        return Integer.toUnsignedLong(milliwatts.getValue()) / 1000.0;
    }

    /** Energy since the driver was loaded, in joules (a counter). */
    public double totalEnergyJoules(Device device) {
        LongByReference millijoules = new LongByReference();
        check(nvml.nvmlDeviceGetTotalEnergyConsumption(device.handle(), millijoules),
                "nvmlDeviceGetTotalEnergyConsumption", device.index());
        return millijoules.getValue() / 1000.0;
    }

    /** PCIe throughput over the last 20 ms, in bytes per second: {@code [transmit, receive]}. */
    public long[] pcieBytesPerSecond(Device device) {
        IntByReference tx = new IntByReference();
        IntByReference rx = new IntByReference();
        check(nvml.nvmlDeviceGetPcieThroughput(device.handle(), PCIE_TX, tx), "nvmlDeviceGetPcieThroughput(TX)",
                device.index());
        check(nvml.nvmlDeviceGetPcieThroughput(device.handle(), PCIE_RX, rx), "nvmlDeviceGetPcieThroughput(RX)",
                device.index());
        return new long[] {Integer.toUnsignedLong(tx.getValue()) * 1024, Integer.toUnsignedLong(rx.getValue()) * 1024};
    }

    public int encoderPercent(Device device) {
        IntByReference percent = new IntByReference();
        check(nvml.nvmlDeviceGetEncoderUtilization(device.handle(), percent, new IntByReference()),
                "nvmlDeviceGetEncoderUtilization", device.index());
        return percent.getValue();
    }

    public int decoderPercent(Device device) {
        IntByReference percent = new IntByReference();
        check(nvml.nvmlDeviceGetDecoderUtilization(device.handle(), percent, new IntByReference()),
                "nvmlDeviceGetDecoderUtilization", device.index());
        return percent.getValue();
    }

    /**
     * The processes with a compute context on {@code device}. NVML answers INSUFFICIENT_SIZE with the count it needs;
     * the list is fetched again with that room, a few times, since processes may start in between.
     */
    public List<ProcessUsage> computeProcesses(Device device) {
        IntByReference count = new IntByReference(0);
        int result = nvml.nvmlDeviceGetComputeRunningProcesses_v3(device.handle(), count, null);
        for (int attempt = 0; attempt < PROCESS_LIST_ATTEMPTS && result == NvmlReturn.ERROR_INSUFFICIENT_SIZE;
             attempt++) {
            int room = count.getValue() + 2;
            // room for the larger entry layout, so that no driver writes past the buffer
            Memory infos = new Memory((long) room * PROCESS_INFO_V3_BYTES);
            infos.clear();
            count.setValue(room);
            result = nvml.nvmlDeviceGetComputeRunningProcesses_v3(device.handle(), count, infos);
            if (result == NvmlReturn.SUCCESS) {
                return processEntries(infos, count.getValue(), device);
            }
        }
        check(result, "nvmlDeviceGetComputeRunningProcesses_v3", device.index());
        return List.of(); // SUCCESS with no room asked for: no processes
    }

    /**
     * The entries {@code _v3} wrote, 24 bytes apart ({@code nvmlProcessInfo_v2_t}, most drivers) or 32 bytes apart
     * ({@code nvmlProcessInfo_v3_t}, R535 drivers; nvitop and go-nvml met the same). The stride is the one under which
     * every entry reads as a process: a pid above 0 and within Linux's pid_max, MIG ids unset or small. With one
     * entry both read the same.
     */
    private List<ProcessUsage> processEntries(Memory infos, int count, Device device) {
        List<ProcessUsage> at24 = processEntries(infos, count, PROCESS_INFO_V2_BYTES);
        if (at24.stream().allMatch(Nvml::plausible)) {
            return at24;
        }
        List<ProcessUsage> at32 = processEntries(infos, count, PROCESS_INFO_V3_BYTES);
        if (at32.stream().allMatch(Nvml::plausible)) {
            return at32;
        }
        throw new NvmlException("nvmlDeviceGetComputeRunningProcesses_v3 on GPU " + device.index()
                + " returned entries that read as processes neither 24 nor 32 bytes apart: " + at24 + ".",
                NvmlReturn.ERROR_UNKNOWN);
    }

    private static List<ProcessUsage> processEntries(Memory infos, int count, int stride) {
        List<ProcessUsage> processes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = (long) i * stride;
            processes.add(new ProcessUsage(infos.getInt(offset), infos.getLong(offset + 8), infos.getInt(offset + 16),
                    infos.getInt(offset + 20)));
        }
        return processes;
    }

    private static boolean plausible(ProcessUsage process) {
        return process.pid() > 0 && process.pid() <= PID_MAX && smallOrUnset(process.gpuInstanceId())
                && smallOrUnset(process.computeInstanceId());
    }

    private static boolean smallOrUnset(int migId) {
        return migId == -1 || (migId >= 0 && migId < 64); // 0xFFFFFFFF: not a MIG process
    }

    /**
     * The per-process utilization samples the driver took after {@code lastSeenTimestampUs} (a CPU timestamp in
     * microseconds; 0 for all it holds), one or more per process that used the GPU. None (NOT_FOUND) is an empty list,
     * not an error. The count is asked for with a null buffer, which the driver answers INSUFFICIENT_SIZE; the samples
     * are fetched with that room, again a few times if more arrived in between.
     *
     * @throws NvmlException NOT_SUPPORTED on a GPU in MIG mode or before Maxwell, GPU_IS_LOST, ...
     */
    public List<ProcessUtilization> processUtilization(Device device, long lastSeenTimestampUs) {
        IntByReference count = new IntByReference(0);
        int result = nvml.nvmlDeviceGetProcessUtilization(device.handle(), null, count, lastSeenTimestampUs);
        for (int attempt = 0; attempt < PROCESS_LIST_ATTEMPTS && result == NvmlReturn.ERROR_INSUFFICIENT_SIZE;
             attempt++) {
            int room = count.getValue() + 2;
            NvmlLibrary.ProcessUtilizationSample first = new NvmlLibrary.ProcessUtilizationSample();
            NvmlLibrary.ProcessUtilizationSample[] samples =
                    (NvmlLibrary.ProcessUtilizationSample[]) first.toArray(room);
            count.setValue(room);
            result = nvml.nvmlDeviceGetProcessUtilization(device.handle(), first, count, lastSeenTimestampUs);
            if (result == NvmlReturn.SUCCESS) {
                List<ProcessUtilization> utilization = new ArrayList<>(count.getValue());
                for (int i = 0; i < count.getValue(); i++) {
                    NvmlLibrary.ProcessUtilizationSample sample = samples[i];
                    sample.read();
                    utilization.add(new ProcessUtilization(sample.pid, sample.timeStamp, sample.smUtil,
                            sample.memUtil, sample.encUtil, sample.decUtil));
                }
                return utilization;
            }
        }
        if (result != NvmlReturn.ERROR_NOT_FOUND) { // NOT_FOUND: no samples since lastSeenTimestampUs
            check(result, "nvmlDeviceGetProcessUtilization", where(device));
        }
        return List.of();
    }

    /**
     * Whether MIG mode is on now (not merely pending a reset). A GPU without MIG answers NOT_SUPPORTED, and a driver
     * without MIG lacks the call: both are MIG off.
     */
    public boolean migEnabled(Device device) {
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        int result = optional(() -> nvml.nvmlDeviceGetMigMode(device.handle(), current, pending));
        if (result == NvmlReturn.ERROR_NOT_SUPPORTED || result == NvmlReturn.ERROR_FUNCTION_NOT_FOUND) {
            return false;
        }
        check(result, "nvmlDeviceGetMigMode", where(device));
        return current.getValue() == MIG_ENABLED;
    }

    /**
     * The MIG devices of {@code device} in slot order; empty when MIG is off. Empty slots (NOT_FOUND) are skipped.
     * Costs 2 + 4 calls per slot (7 slots on an H100), so callers cache the result.
     */
    public List<MigDevice> migDevices(Device device) {
        if (!migEnabled(device)) {
            return List.of();
        }
        IntByReference slots = new IntByReference();
        check(nvml.nvmlDeviceGetMaxMigDeviceCount(device.handle(), slots), "nvmlDeviceGetMaxMigDeviceCount",
                where(device));
        List<MigDevice> migs = new ArrayList<>(slots.getValue());
        for (int slot = 0; slot < slots.getValue(); slot++) {
            PointerByReference handle = new PointerByReference();
            int result = nvml.nvmlDeviceGetMigDeviceHandleByIndex(device.handle(), slot, handle);
            if (result == NvmlReturn.ERROR_NOT_FOUND) {
                continue;
            }
            String where = where(device) + " MIG slot " + slot;
            check(result, "nvmlDeviceGetMigDeviceHandleByIndex", where);
            IntByReference gpuInstance = new IntByReference();
            IntByReference computeInstance = new IntByReference();
            check(nvml.nvmlDeviceGetGpuInstanceId(handle.getValue(), gpuInstance), "nvmlDeviceGetGpuInstanceId",
                    where);
            check(nvml.nvmlDeviceGetComputeInstanceId(handle.getValue(), computeInstance),
                    "nvmlDeviceGetComputeInstanceId", where);
            byte[] uuid = new byte[UUID_BUFFER_BYTES];
            check(nvml.nvmlDeviceGetUUID(handle.getValue(), uuid, uuid.length), "nvmlDeviceGetUUID", where);
            migs.add(new MigDevice(device, slot, handle.getValue(), gpuInstance.getValue(),
                    computeInstance.getValue(), cString(uuid)));
        }
        return migs;
    }

    /**
     * Whether {@code device} supports GPM (Hopper and newer). A driver without GPM (before R520) lacks the call: no.
     */
    public boolean gpmSupported(Device device) {
        NvmlLibrary.GpmSupport support = new NvmlLibrary.GpmSupport();
        int result = optional(() -> nvml.nvmlGpmQueryDeviceSupport(device.handle(), support));
        if (result == NvmlReturn.ERROR_NOT_SUPPORTED || result == NvmlReturn.ERROR_FUNCTION_NOT_FOUND) {
            return false;
        }
        check(result, "nvmlGpmQueryDeviceSupport", where(device));
        return support.isSupportedDevice != 0;
    }

    public GpmSample allocateGpmSample() {
        PointerByReference sample = new PointerByReference();
        check(optional(() -> nvml.nvmlGpmSampleAlloc(sample)), "nvmlGpmSampleAlloc", "");
        return new GpmSample(sample.getValue());
    }

    public void freeGpmSample(GpmSample sample) {
        check(optional(() -> nvml.nvmlGpmSampleFree(sample.handle())), "nvmlGpmSampleFree", "");
    }

    /** Reads the GPM counters of {@code device} into {@code sample}. */
    public void gpmSample(Device device, GpmSample sample) {
        check(optional(() -> nvml.nvmlGpmSampleGet(device.handle(), sample.handle())), "nvmlGpmSampleGet",
                where(device));
    }

    /**
     * The GPM metric {@code metricId} ({@code NVML_GPM_METRIC_*}) over the time between two samples of
     * {@code device}, {@code earlier} taken first.
     *
     * @throws NvmlException if the call fails, or with the metric's own code if the driver cannot compute it
     */
    public double gpmMetric(Device device, GpmSample earlier, GpmSample later, int metricId) {
        NvmlLibrary.GpmMetricsGet get = new NvmlLibrary.GpmMetricsGet();
        get.numMetrics = 1;
        get.sample1 = earlier.handle();
        get.sample2 = later.handle();
        get.metrics[0].metricId = metricId;
        check(optional(() -> nvml.nvmlGpmMetricsGet(get)), "nvmlGpmMetricsGet", where(device));
        NvmlLibrary.GpmMetric metric = get.metrics[0];
        check(metric.nvmlReturn, "nvmlGpmMetricsGet(metric " + metricId + ")", where(device));
        return metric.value;
    }

    /** Calls a function that older drivers lack; a missing symbol is FUNCTION_NOT_FOUND. */
    private static int optional(IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (UnsatisfiedLinkError e) {
            return NvmlReturn.ERROR_FUNCTION_NOT_FOUND;
        }
    }

    private void check(int result, String call, int deviceIndex) {
        check(result, call, deviceIndex < 0 ? "" : "GPU " + deviceIndex);
    }

    private void check(int result, String call, String where) {
        if (result != NvmlReturn.SUCCESS) {
            throw new NvmlException(call + (where.isEmpty() ? "" : " on " + where) + " failed with NVML error "
                    + result + ": " + nvml.nvmlErrorString(result) + ".", result);
        }
    }

    private static String where(Device device) {
        return "GPU " + device.index();
    }

    private static String where(MigDevice device) {
        return "GPU " + device.parent().index() + " MIG device " + device.uuid();
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        nvml.nvmlShutdown();
    }

}
