/*
 * A stand-in for libnvidia-ml.so.1 for tests on machines without a GPU. It exports the versioned NVML symbols the
 * collector binds, with the struct layouts of nvml.h, deterministic values per device, and control functions
 * (fake_nvml_*) through which a test sets the device count, forces an error code on a call, makes the process
 * list grow between calls, feeds per-process utilization samples, lays out MIG instances and drives the GPM
 * counters. Struct layouts and version constants are those of nvml.h (CUDA 12.2, NVML API 12); the behaviour on
 * empty results follows the header's documentation. Built by the tests with:
 * gcc -shared -fPIC -o libnvidia-ml.so.1 fake_nvml.c (with -DFAKE_NVML_NO_GPM: a driver older than R520, which
 * exports no nvmlGpm* symbols).
 */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>

typedef int nvmlReturn_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_FUNCTION_NOT_FOUND 13
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25
#define MAX_DEVICES 16
#define MAX_FORCED 32
#define MAX_PROCESS_SAMPLES 64
#define MAX_MIG 7 /* nvmlDeviceGetMaxMigDeviceCount on an H100: seven 1g slices */
#define NVML_DEVICE_MIG_DISABLE 0
#define NVML_DEVICE_MIG_ENABLE 1
#define NVML_GPM_METRIC_ANY_TENSOR_UTIL 5
#define NVML_GPM_METRIC_MAX 98
#define NVML_GPM_METRICS_GET_VERSION 1
#define NVML_GPM_SUPPORT_VERSION 1

typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct {
    unsigned int version;
    unsigned long long total;
    unsigned long long reserved;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_v2_t;
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlProcessInfo_t;
typedef struct {
    unsigned int pid;
    unsigned long long timeStamp; /* CPU timestamp in microseconds */
    unsigned int smUtil;
    unsigned int memUtil;
    unsigned int encUtil;
    unsigned int decUtil;
} nvmlProcessUtilizationSample_t;
/* A GPU (mig_slot -1) or a MIG device under GPU `index` (mig_slot 0..MAX_MIG-1). */
typedef struct { int index; int mig_slot; } fake_device;
typedef fake_device *nvmlDevice_t;

typedef struct fake_gpm_sample *nvmlGpmSample_t;
typedef struct {
    unsigned int metricId;
    nvmlReturn_t nvmlReturn;
    double value;
    struct {
        char *shortName;
        char *longName;
        char *unit;
    } metricInfo;
} nvmlGpmMetric_t;
typedef struct {
    unsigned int version;
    unsigned int numMetrics;
    nvmlGpmSample_t sample1;
    nvmlGpmSample_t sample2;
    nvmlGpmMetric_t metrics[NVML_GPM_METRIC_MAX];
} nvmlGpmMetricsGet_t;
typedef struct {
    unsigned int version;
    unsigned int isSupportedDevice;
} nvmlGpmSupport_t;

#define NVML_STRUCT_VERSION(data, ver) (unsigned int)(sizeof(nvml##data##_v##ver##_t) | ((ver) << 24U))

static int initialized = 0;
static int device_count = 4;
static fake_device devices[MAX_DEVICES];
static int processes[MAX_DEVICES];
static int process_growth = 0;
static int process_info_stride = (int) sizeof(nvmlProcessInfo_t);
static int process_memory_unavailable[MAX_DEVICES];
static struct { char call[64]; int device; int code; } forced[MAX_FORCED];
static int forced_count = 0;
static nvmlProcessUtilizationSample_t process_samples[MAX_DEVICES][MAX_PROCESS_SAMPLES];
static int process_sample_count[MAX_DEVICES];
static int mig_mode[MAX_DEVICES]; /* -1: no MIG on this GPU (NOT_SUPPORTED), else NVML_DEVICE_MIG_* */
static unsigned int mig_slots[MAX_DEVICES]; /* bit s set: a MIG device in slot s */
static fake_device mig_devices[MAX_DEVICES][MAX_MIG];
static int mig_utilization_supported = 0;
static int gpm_supported[MAX_DEVICES];
static unsigned long long gpm_elapsed_us[MAX_DEVICES];
static unsigned long long gpm_tensor_active_us[MAX_DEVICES];
static int gpm_samples_live = 0;

#define GPM_SAMPLE_MAGIC 0x47504d53u
struct fake_gpm_sample {
    unsigned int magic;
    int device; /* -1 until nvmlGpmSampleGet fills it */
    unsigned long long elapsed_us;
    unsigned long long tensor_active_us;
};

/* ---- control functions for tests ---- */
void fake_nvml_reset(void) {
    initialized = 0; device_count = 4; process_growth = 0; forced_count = 0;
    process_info_stride = (int) sizeof(nvmlProcessInfo_t);
    memset(process_memory_unavailable, 0, sizeof process_memory_unavailable); mig_utilization_supported = 0;
    for (int i = 0; i < MAX_DEVICES; i++) {
        devices[i].index = i; devices[i].mig_slot = -1; processes[i] = i;
        process_sample_count[i] = 0;
        mig_mode[i] = -1; mig_slots[i] = 0;
        for (int s = 0; s < MAX_MIG; s++) { mig_devices[i][s].index = i; mig_devices[i][s].mig_slot = s; }
        gpm_supported[i] = 1; gpm_elapsed_us[i] = 0; gpm_tensor_active_us[i] = 0;
    }
}
void fake_nvml_set_device_count(int count) { device_count = count; }
void fake_nvml_set_processes(int device, int count) { processes[device] = count; }
/* After each INSUFFICIENT_SIZE answer, that many more processes appear (a process starting meanwhile). */
void fake_nvml_set_process_growth(int extra) { process_growth = extra; }
/* Makes `call` return `code` for `device` (-1: every device). */
void fake_nvml_force(const char *call, int device, int code) {
    if (forced_count < MAX_FORCED) {
        snprintf(forced[forced_count].call, sizeof forced[forced_count].call, "%s", call);
        forced[forced_count].device = device;
        forced[forced_count].code = code;
        forced_count++;
    }
}
/* 24 (nvmlProcessInfo_v2_t, most drivers) or 32 (nvmlProcessInfo_v3_t, as R535 drivers fill _v3's entries). */
void fake_nvml_set_process_info_stride(int bytes) { process_info_stride = bytes; }
/* Makes the processes of `device` report their memory as NVML_VALUE_NOT_AVAILABLE (as without permission to see it). */
void fake_nvml_set_process_memory_unavailable(int device) { process_memory_unavailable[device] = 1; }
/* Drops every forced error code; the rest of the fake's state stays. */
void fake_nvml_clear_forced(void) { forced_count = 0; }
int fake_nvml_is_initialized(void) { return initialized; }
/* A per-process utilization sample in the driver's buffer of `device`. */
void fake_nvml_add_process_sample(int device, unsigned int pid, unsigned long long timestamp_us, unsigned int sm,
                                  unsigned int mem, unsigned int enc, unsigned int dec) {
    if (process_sample_count[device] < MAX_PROCESS_SAMPLES) {
        nvmlProcessUtilizationSample_t *s = &process_samples[device][process_sample_count[device]++];
        s->pid = pid; s->timeStamp = timestamp_us; s->smUtil = sm; s->memUtil = mem; s->encUtil = enc; s->decUtil = dec;
    }
}
/* MIG on `device`: mode -1 (a GPU without MIG: NOT_SUPPORTED), 0 (disabled) or 1 (enabled, with a MIG device in each
 * slot whose bit is set in `slots`). A MIG device whose slot is emptied keeps its handle, which then answers
 * INVALID_ARGUMENT, and gets it back, with new properties, when the slot is filled again. */
void fake_nvml_set_mig(int device, int mode, unsigned int slots) { mig_mode[device] = mode; mig_slots[device] = slots; }
/* Whether nvmlDeviceGetUtilizationRates answers on MIG handles (the driver does not: NOT_SUPPORTED). */
void fake_nvml_set_mig_utilization_supported(int supported) { mig_utilization_supported = supported; }
void fake_nvml_set_gpm_supported(int device, int supported) { gpm_supported[device] = supported; }
/* Moves the GPM counters of `device` on: `elapsed_us` of time, of which the SMs ran tensor operations `tensor_us`. */
void fake_nvml_advance_gpm(int device, unsigned long long elapsed_us, unsigned long long tensor_us) {
    gpm_elapsed_us[device] += elapsed_us;
    gpm_tensor_active_us[device] += tensor_us;
}
int fake_nvml_gpm_samples_live(void) { return gpm_samples_live; }
/* sizeof and offsetof of the structs as this compiler lays them out, for the binding's layout tests (-1: unknown). */
int fake_nvml_sizeof(const char *type) {
    if (strcmp(type, "nvmlProcessUtilizationSample_t") == 0) return (int) sizeof(nvmlProcessUtilizationSample_t);
    if (strcmp(type, "nvmlGpmMetric_t") == 0) return (int) sizeof(nvmlGpmMetric_t);
    if (strcmp(type, "nvmlGpmMetricsGet_t") == 0) return (int) sizeof(nvmlGpmMetricsGet_t);
    if (strcmp(type, "nvmlGpmSupport_t") == 0) return (int) sizeof(nvmlGpmSupport_t);
    if (strcmp(type, "nvmlMemory_v2_t") == 0) return (int) sizeof(nvmlMemory_v2_t);
    if (strcmp(type, "nvmlProcessInfo_t") == 0) return (int) sizeof(nvmlProcessInfo_t);
    return -1;
}
int fake_nvml_offsetof(const char *field) {
    if (strcmp(field, "nvmlProcessUtilizationSample_t.timeStamp") == 0)
        return (int) offsetof(nvmlProcessUtilizationSample_t, timeStamp);
    if (strcmp(field, "nvmlProcessUtilizationSample_t.decUtil") == 0)
        return (int) offsetof(nvmlProcessUtilizationSample_t, decUtil);
    if (strcmp(field, "nvmlGpmMetric_t.value") == 0) return (int) offsetof(nvmlGpmMetric_t, value);
    if (strcmp(field, "nvmlGpmMetric_t.metricInfo") == 0) return (int) offsetof(nvmlGpmMetric_t, metricInfo);
    if (strcmp(field, "nvmlGpmMetricsGet_t.sample2") == 0) return (int) offsetof(nvmlGpmMetricsGet_t, sample2);
    if (strcmp(field, "nvmlGpmMetricsGet_t.metrics") == 0) return (int) offsetof(nvmlGpmMetricsGet_t, metrics);
    return -1;
}

static int forced_code(const char *call, nvmlDevice_t device) {
    for (int i = 0; i < forced_count; i++) {
        if (strcmp(forced[i].call, call) == 0 && (forced[i].device < 0 || (device && forced[i].device == device->index)))
            return forced[i].code;
    }
    return NVML_SUCCESS;
}

/* A GPU handle, or a MIG handle whose slot is filled now. */
static int device_present(nvmlDevice_t device) {
    return device == NULL || device->mig_slot < 0
        || (mig_mode[device->index] == NVML_DEVICE_MIG_ENABLE && (mig_slots[device->index] >> device->mig_slot) & 1u);
}

#define GUARD(call, device) do { \
        if (!initialized) return NVML_ERROR_UNINITIALIZED; \
        if ((device) == NULL && #device[0] != '0') return NVML_ERROR_INVALID_ARGUMENT; \
        if (!device_present(device)) return NVML_ERROR_INVALID_ARGUMENT; \
        int forced_result = forced_code(call, device); \
        if (forced_result != NVML_SUCCESS) return forced_result; \
    } while (0)

/* ---- NVML ---- */
nvmlReturn_t nvmlInit_v2(void) {
    int code = forced_code("nvmlInit_v2", NULL);
    if (code != NVML_SUCCESS) return code;
    initialized = 1;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlShutdown(void) { initialized = 0; return NVML_SUCCESS; }
const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
        case NVML_SUCCESS: return "Success";
        case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
        case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
        case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
        case NVML_ERROR_NOT_FOUND: return "Not Found";
        case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
        case 9: return "Driver Not Loaded";
        case NVML_ERROR_FUNCTION_NOT_FOUND: return "Function Not Found";
        case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
        case NVML_ERROR_ARGUMENT_VERSION_MISMATCH: return "Argument version mismatch";
        default: return "Unknown Error";
    }
}
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
    GUARD("nvmlDeviceGetCount_v2", 0);
    *count = (unsigned int) device_count;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    GUARD("nvmlDeviceGetHandleByIndex_v2", 0);
    if (index >= (unsigned int) device_count) return NVML_ERROR_INVALID_ARGUMENT;
    int forced_for_index = forced_code("nvmlDeviceGetHandleByIndex_v2", &devices[index]);
    if (forced_for_index != NVML_SUCCESS) return forced_for_index;
    *device = &devices[index];
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    GUARD("nvmlDeviceGetName", device);
    const char *model = "NVIDIA H100 80GB HBM3 (fake)";
    if (length < strlen(model) + 1) return NVML_ERROR_INSUFFICIENT_SIZE;
    strcpy(name, model);
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
    GUARD("nvmlDeviceGetUUID", device);
    if (length < 41) return NVML_ERROR_INSUFFICIENT_SIZE;
    if (device->mig_slot >= 0)
        snprintf(uuid, length, "MIG-00000000-0000-0000-%04d-%012d", device->index, device->mig_slot);
    else
        snprintf(uuid, length, "GPU-00000000-0000-0000-0000-%012d", device->index);
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
    GUARD("nvmlDeviceGetUtilizationRates", device);
    if (device->mig_slot >= 0) {
        if (!mig_utilization_supported) return NVML_ERROR_NOT_SUPPORTED;
        utilization->gpu = 20u + (unsigned int) device->mig_slot;
        utilization->memory = 10u + (unsigned int) device->mig_slot;
        return NVML_SUCCESS;
    }
    if (mig_mode[device->index] == NVML_DEVICE_MIG_ENABLE) return NVML_ERROR_NOT_SUPPORTED;
    utilization->gpu = 10u * (device->index + 1);
    utilization->memory = 5u * (device->index + 1);
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory) {
    GUARD("nvmlDeviceGetMemoryInfo_v2", device);
    if (memory->version != NVML_STRUCT_VERSION(Memory, 2)) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    if (device->mig_slot >= 0) { /* a 1g.10gb GPU instance */
        memory->total = 10ULL << 30;
        memory->reserved = 0;
        memory->used = (unsigned long long) (device->mig_slot + 1) << 28;
        memory->free = memory->total - memory->used;
        return NVML_SUCCESS;
    }
    memory->total = 80ULL << 30;
    memory->reserved = 512ULL << 20;
    memory->used = (unsigned long long) (device->index + 1) << 30;
    memory->free = memory->total - memory->reserved - memory->used;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *temperature) {
    GUARD("nvmlDeviceGetTemperature", device);
    if (sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
    *temperature = 40u + (unsigned int) device->index;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *milliwatts) {
    GUARD("nvmlDeviceGetPowerUsage", device);
    *milliwatts = 100000u + 1000u * (unsigned int) device->index;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *millijoules) {
    GUARD("nvmlDeviceGetTotalEnergyConsumption", device);
    *millijoules = 1000000ULL * (unsigned long long) (device->index + 1);
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t device, int counter, unsigned int *kilobytes_per_second) {
    GUARD("nvmlDeviceGetPcieThroughput", device);
    *kilobytes_per_second = (counter == 0 ? 1000u : 2000u) * (unsigned int) (device->index + 1);
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetEncoderUtilization(nvmlDevice_t device, unsigned int *percent, unsigned int *period_us) {
    GUARD("nvmlDeviceGetEncoderUtilization", device);
    *percent = 7; *period_us = 166666;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetDecoderUtilization(nvmlDevice_t device, unsigned int *percent, unsigned int *period_us) {
    GUARD("nvmlDeviceGetDecoderUtilization", device);
    *percent = 9; *period_us = 166666;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *count,
                                                     nvmlProcessInfo_t *infos) {
    GUARD("nvmlDeviceGetComputeRunningProcesses_v3", device);
    int n = processes[device->index];
    if (*count < (unsigned int) n || (n > 0 && infos == NULL)) {
        *count = (unsigned int) n;
        processes[device->index] += process_growth;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    for (int i = 0; i < n; i++) {
        /* R535 drivers write nvmlProcessInfo_v3_t entries (32 bytes, usedGpuCcProtectedMemory last) here */
        nvmlProcessInfo_t *info = (nvmlProcessInfo_t *) ((char *) infos + (size_t) i * (size_t) process_info_stride);
        memset(info, 0, (size_t) process_info_stride);
        info->pid = 1000u * (unsigned int) (device->index + 1) + (unsigned int) i;
        info->usedGpuMemory = process_memory_unavailable[device->index] ? ~0ULL /* NVML_VALUE_NOT_AVAILABLE */
                                                                         : (unsigned long long) (i + 1) << 20;
        info->gpuInstanceId = 0xFFFFFFFFu;
        info->computeInstanceId = 0xFFFFFFFFu;
    }
    *count = (unsigned int) n;
    return NVML_SUCCESS;
}

/* Per-process utilization. Real semantics (nvml.h): a NULL buffer asks for the count, answered INSUFFICIENT_SIZE with
 * the count; only samples newer than lastSeenTimeStamp count; none is NOT_FOUND; not supported on a GPU in MIG mode. */
nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t device, nvmlProcessUtilizationSample_t *utilization,
                                             unsigned int *processSamplesCount, unsigned long long lastSeenTimeStamp) {
    GUARD("nvmlDeviceGetProcessUtilization", device);
    if (processSamplesCount == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (device->mig_slot >= 0 || mig_mode[device->index] == NVML_DEVICE_MIG_ENABLE) return NVML_ERROR_NOT_SUPPORTED;
    unsigned int n = 0;
    for (int i = 0; i < process_sample_count[device->index]; i++)
        if (process_samples[device->index][i].timeStamp > lastSeenTimeStamp) n++;
    if (n == 0) return NVML_ERROR_NOT_FOUND;
    if (utilization == NULL || *processSamplesCount < n) {
        *processSamplesCount = n;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    unsigned int written = 0;
    for (int i = 0; i < process_sample_count[device->index]; i++)
        if (process_samples[device->index][i].timeStamp > lastSeenTimeStamp)
            utilization[written++] = process_samples[device->index][i];
    *processSamplesCount = written;
    return NVML_SUCCESS;
}

/* ---- MIG ---- */
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode, unsigned int *pendingMode) {
    GUARD("nvmlDeviceGetMigMode", device);
    if (currentMode == NULL || pendingMode == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (device->mig_slot >= 0 || mig_mode[device->index] < 0) return NVML_ERROR_NOT_SUPPORTED;
    *currentMode = (unsigned int) mig_mode[device->index];
    *pendingMode = (unsigned int) mig_mode[device->index];
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count) {
    GUARD("nvmlDeviceGetMaxMigDeviceCount", device);
    if (count == NULL || device->mig_slot >= 0) return NVML_ERROR_INVALID_ARGUMENT;
    *count = mig_mode[device->index] == NVML_DEVICE_MIG_ENABLE ? MAX_MIG : 0; /* zero if MIG is not enabled */
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index, nvmlDevice_t *migDevice) {
    GUARD("nvmlDeviceGetMigDeviceHandleByIndex", device);
    if (migDevice == NULL || device->mig_slot >= 0) return NVML_ERROR_INVALID_ARGUMENT;
    if (mig_mode[device->index] != NVML_DEVICE_MIG_ENABLE) return NVML_ERROR_NOT_SUPPORTED;
    if (index >= MAX_MIG) return NVML_ERROR_INVALID_ARGUMENT;
    if (!((mig_slots[device->index] >> index) & 1u)) return NVML_ERROR_NOT_FOUND;
    *migDevice = &mig_devices[device->index][index];
    return NVML_SUCCESS;
}
/* GPU instance ids as an H100 numbers its 1g slices: slot s is instance 7 + s; one compute instance (0) in each. */
nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t device, unsigned int *id) {
    GUARD("nvmlDeviceGetGpuInstanceId", device);
    if (id == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (device->mig_slot < 0) return NVML_ERROR_NOT_SUPPORTED;
    *id = 7u + (unsigned int) device->mig_slot;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t device, unsigned int *id) {
    GUARD("nvmlDeviceGetComputeInstanceId", device);
    if (id == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (device->mig_slot < 0) return NVML_ERROR_NOT_SUPPORTED;
    *id = 0;
    return NVML_SUCCESS;
}

#ifndef FAKE_NVML_NO_GPM
/* ---- GPM (Hopper and newer) ---- */
nvmlReturn_t nvmlGpmQueryDeviceSupport(nvmlDevice_t device, nvmlGpmSupport_t *gpmSupport) {
    GUARD("nvmlGpmQueryDeviceSupport", device);
    if (gpmSupport == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (gpmSupport->version != NVML_GPM_SUPPORT_VERSION) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    gpmSupport->isSupportedDevice = device->mig_slot < 0 && gpm_supported[device->index] ? 1u : 0u;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlGpmSampleAlloc(nvmlGpmSample_t *gpmSample) {
    GUARD("nvmlGpmSampleAlloc", 0);
    if (gpmSample == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    struct fake_gpm_sample *sample = calloc(1, sizeof *sample);
    if (sample == NULL) return 20; /* NVML_ERROR_MEMORY */
    sample->magic = GPM_SAMPLE_MAGIC;
    sample->device = -1;
    gpm_samples_live++;
    *gpmSample = sample;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlGpmSampleFree(nvmlGpmSample_t gpmSample) {
    if (gpmSample == NULL || gpmSample->magic != GPM_SAMPLE_MAGIC) return NVML_ERROR_INVALID_ARGUMENT;
    gpmSample->magic = 0;
    free(gpmSample);
    gpm_samples_live--;
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlGpmSampleGet(nvmlDevice_t device, nvmlGpmSample_t gpmSample) {
    GUARD("nvmlGpmSampleGet", device);
    if (gpmSample == NULL || gpmSample->magic != GPM_SAMPLE_MAGIC) return NVML_ERROR_INVALID_ARGUMENT;
    if (device->mig_slot >= 0 || !gpm_supported[device->index]) return NVML_ERROR_NOT_SUPPORTED;
    gpmSample->device = device->index;
    gpmSample->elapsed_us = gpm_elapsed_us[device->index];
    gpmSample->tensor_active_us = gpm_tensor_active_us[device->index];
    return NVML_SUCCESS;
}
static char any_tensor_short[] = "any_tensor_util";
static char any_tensor_long[] = "Percentage of time the GPU's SMs were doing ANY tensor operations";
static char percent_unit[] = "%";
nvmlReturn_t nvmlGpmMetricsGet(nvmlGpmMetricsGet_t *metricsGet) {
    if (!initialized) return NVML_ERROR_UNINITIALIZED;
    if (metricsGet == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (metricsGet->version != NVML_GPM_METRICS_GET_VERSION) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    struct fake_gpm_sample *first = metricsGet->sample1, *second = metricsGet->sample2;
    if (metricsGet->numMetrics > NVML_GPM_METRIC_MAX || first == NULL || second == NULL
            || first->magic != GPM_SAMPLE_MAGIC || second->magic != GPM_SAMPLE_MAGIC
            || first->device < 0 || first->device != second->device)
        return NVML_ERROR_INVALID_ARGUMENT;
    int forced_result = forced_code("nvmlGpmMetricsGet", &devices[first->device]);
    if (forced_result != NVML_SUCCESS) return forced_result;
    int metric_result = forced_code("nvmlGpmMetricsGet.metric", &devices[first->device]);
    for (unsigned int i = 0; i < metricsGet->numMetrics; i++) {
        nvmlGpmMetric_t *metric = &metricsGet->metrics[i];
        memset(&metric->metricInfo, 0, sizeof metric->metricInfo);
        metric->value = 0;
        if (metric->metricId != NVML_GPM_METRIC_ANY_TENSOR_UTIL) { metric->nvmlReturn = NVML_ERROR_NOT_SUPPORTED; continue; }
        if (metric_result != NVML_SUCCESS) { metric->nvmlReturn = metric_result; continue; }
        unsigned long long elapsed = second->elapsed_us - first->elapsed_us;
        unsigned long long active = second->tensor_active_us - first->tensor_active_us;
        metric->nvmlReturn = NVML_SUCCESS;
        metric->value = elapsed == 0 ? 0.0 : 100.0 * (double) active / (double) elapsed;
        metric->metricInfo.shortName = any_tensor_short;
        metric->metricInfo.longName = any_tensor_long;
        metric->metricInfo.unit = percent_unit;
    }
    return NVML_SUCCESS;
}
#endif

__attribute__((constructor)) static void fake_nvml_load(void) { fake_nvml_reset(); }
