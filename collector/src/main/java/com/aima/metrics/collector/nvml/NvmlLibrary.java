package com.aima.metrics.collector.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The NVML functions the collector calls, bound by JNA to {@code libnvidia-ml.so.1}. Names are the versioned symbols
 * the library exports ({@code nvmlInit_v2}, ...): the unversioned names in {@code nvml.h} are C macros. Every function
 * returns an {@code nvmlReturn_t} ({@link NvmlReturn}).
 */
public interface NvmlLibrary extends Library {

    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

    int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temperatureC);

    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

    int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference millijoules);

    int nvmlDeviceGetPcieThroughput(Pointer device, int counter, IntByReference kilobytesPerSecond);

    int nvmlDeviceGetEncoderUtilization(Pointer device, IntByReference percent, IntByReference samplingPeriodUs);

    int nvmlDeviceGetDecoderUtilization(Pointer device, IntByReference percent, IntByReference samplingPeriodUs);

    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, ProcessInfo infos);

    /** {@code nvmlUtilization_t}: percent of time the GPU and its memory were busy over the last sample period. */
    @Structure.FieldOrder({"gpu", "memory"})
    class Utilization extends Structure {
        public int gpu;
        public int memory;
    }

    /** {@code nvmlMemory_v2_t}: bytes; {@code version} must be {@link #VERSION}. */
    @Structure.FieldOrder({"version", "total", "reserved", "free", "used"})
    class MemoryV2 extends Structure {
        /** {@code NVML_STRUCT_VERSION(Memory, 2)}: the struct size (40 bytes) with the version in the top byte. */
        public static final int VERSION = 40 | (2 << 24);

        public int version = VERSION;
        public long total;
        public long reserved;
        public long free;
        public long used;
    }

    /** {@code nvmlProcessInfo_t} as {@code _v3} fills it: pid, used GPU memory in bytes, MIG instance ids. */
    @Structure.FieldOrder({"pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId"})
    class ProcessInfo extends Structure {
        public int pid;
        public long usedGpuMemory;
        public int gpuInstanceId;
        public int computeInstanceId;

        public ProcessInfo() {
        }

        public ProcessInfo(Pointer memory) {
            super(memory);
            read();
        }
    }
}
