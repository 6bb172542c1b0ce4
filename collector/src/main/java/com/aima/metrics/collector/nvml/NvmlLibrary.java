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
 * returns an {@code nvmlReturn_t} ({@link NvmlReturn}). Struct layouts and version constants are those of
 * {@code nvml.h} from CUDA 12.2 (NVML API 12). A function the installed driver lacks (the {@code nvmlGpm*} calls before
 * R520) throws {@link UnsatisfiedLinkError} when called, not when the library is loaded.
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

    /** {@code infos}: room for {@code infoCount} entries of 24 or, from R535 drivers, 32 bytes (see {@link Nvml}). */
    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, Pointer infos);

    /** {@code utilization} may be null to ask for the count (answered INSUFFICIENT_SIZE). */
    int nvmlDeviceGetProcessUtilization(Pointer device, ProcessUtilizationSample utilization,
                                        IntByReference processSamplesCount, long lastSeenTimeStampUs);

    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    int nvmlDeviceGetGpuInstanceId(Pointer migDevice, IntByReference id);

    int nvmlDeviceGetComputeInstanceId(Pointer migDevice, IntByReference id);

    int nvmlGpmQueryDeviceSupport(Pointer device, GpmSupport gpmSupport);

    /** {@code nvmlGpmSample_t} is an opaque handle, passed by value. */
    int nvmlGpmSampleAlloc(PointerByReference gpmSample);

    int nvmlGpmSampleFree(Pointer gpmSample);

    int nvmlGpmSampleGet(Pointer device, Pointer gpmSample);

    int nvmlGpmMetricsGet(GpmMetricsGet metricsGet);

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

    /**
     * {@code nvmlProcessInfo_v2_t}, 24 bytes: pid, used GPU memory in bytes, MIG instance ids. R535 drivers fill
     * {@code _v3}'s entries as {@code nvmlProcessInfo_v3_t} instead, 32 bytes (an extra
     * {@code usedGpuCcProtectedMemory}), without a version change; {@link Nvml#computeProcesses} reads either.
     */
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

    /**
     * {@code nvmlProcessUtilizationSample_t}: one process's utilization, in percent, at a CPU timestamp in
     * microseconds (32 bytes: 4 bytes of padding before {@code timeStamp}).
     */
    @Structure.FieldOrder({"pid", "timeStamp", "smUtil", "memUtil", "encUtil", "decUtil"})
    class ProcessUtilizationSample extends Structure {
        public int pid;
        public long timeStamp;
        public int smUtil;
        public int memUtil;
        public int encUtil;
        public int decUtil;
    }

    /** {@code nvmlGpmSupport_t}; {@code version} must be {@link #VERSION}. */
    @Structure.FieldOrder({"version", "isSupportedDevice"})
    class GpmSupport extends Structure {
        /** {@code NVML_GPM_SUPPORT_VERSION}. */
        public static final int VERSION = 1;

        public int version = VERSION;
        public int isSupportedDevice;
    }

    /** The {@code metricInfo} of {@code nvmlGpmMetric_t}: strings the driver owns; any may be null. */
    @Structure.FieldOrder({"shortName", "longName", "unit"})
    class GpmMetricInfo extends Structure {
        public String shortName;
        public String longName;
        public String unit;
    }

    /** {@code nvmlGpmMetric_t}: the caller sets {@code metricId}; the driver sets {@code nvmlReturn}, then the rest. */
    @Structure.FieldOrder({"metricId", "nvmlReturn", "value", "metricInfo"})
    class GpmMetric extends Structure {
        public int metricId;
        public int nvmlReturn;
        public double value;
        public GpmMetricInfo metricInfo = new GpmMetricInfo();
    }

    /**
     * {@code nvmlGpmMetricsGet_t}: the metrics between two samples. {@code version} must be {@link #VERSION}; the
     * driver reads only the first {@code numMetrics} entries of {@code metrics}.
     */
    @Structure.FieldOrder({"version", "numMetrics", "sample1", "sample2", "metrics"})
    class GpmMetricsGet extends Structure {
        /** {@code NVML_GPM_METRICS_GET_VERSION}. */
        public static final int VERSION = 1;
        /** {@code NVML_GPM_METRIC_MAX}: the size of {@code metrics}. */
        public static final int METRIC_MAX = 98;
        /** {@code NVML_GPM_METRIC_ANY_TENSOR_UTIL}: percent of time the SMs ran any tensor operation, 0.0 - 100.0. */
        public static final int METRIC_ANY_TENSOR_UTIL = 5;

        public int version = VERSION;
        public int numMetrics;
        public Pointer sample1;
        public Pointer sample2;
        public GpmMetric[] metrics = new GpmMetric[METRIC_MAX];

        public GpmMetricsGet() {
            for (int i = 0; i < metrics.length; i++) {
                metrics[i] = new GpmMetric();
            }
        }
    }
}
