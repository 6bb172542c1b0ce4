package com.aima.metrics.collector.nvml;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        NvmlLibrary.Utilization utilization = new NvmlLibrary.Utilization();
        check(nvml.nvmlDeviceGetUtilizationRates(device.handle(), utilization), "nvmlDeviceGetUtilizationRates",
                device.index());
        return new Utilization(utilization.gpu, utilization.memory);
    }

    public MemoryInfo memory(Device device) {
        NvmlLibrary.MemoryV2 memory = new NvmlLibrary.MemoryV2();
        check(nvml.nvmlDeviceGetMemoryInfo_v2(device.handle(), memory), "nvmlDeviceGetMemoryInfo_v2",
                device.index());
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
            NvmlLibrary.ProcessInfo first = new NvmlLibrary.ProcessInfo();
            NvmlLibrary.ProcessInfo[] infos = (NvmlLibrary.ProcessInfo[]) first.toArray(room);
            count.setValue(room);
            result = nvml.nvmlDeviceGetComputeRunningProcesses_v3(device.handle(), count, first);
            if (result == NvmlReturn.SUCCESS) {
                List<ProcessUsage> processes = new ArrayList<>(count.getValue());
                for (int i = 0; i < count.getValue(); i++) {
                    infos[i].read();
                    processes.add(new ProcessUsage(infos[i].pid, infos[i].usedGpuMemory, infos[i].gpuInstanceId,
                            infos[i].computeInstanceId));
                }
                return processes;
            }
        }
        check(result, "nvmlDeviceGetComputeRunningProcesses_v3", device.index());
        return List.of(); // SUCCESS with no room asked for: no processes
    }

    private void check(int result, String call, int deviceIndex) {
        if (result != NvmlReturn.SUCCESS) {
            String where = deviceIndex < 0 ? "" : " on GPU " + deviceIndex;
            throw new NvmlException(call + where + " failed with NVML error " + result + ": "
                    + nvml.nvmlErrorString(result) + ".", result);
        }
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
