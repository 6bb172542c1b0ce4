/*
 * A stand-in for libnvidia-ml.so.1 for tests on machines without a GPU. It exports the versioned NVML symbols the
 * collector binds, with the struct layouts of nvml.h, deterministic values per device, and control functions
 * (fake_nvml_*) through which a test sets the device count, forces an error code on a call, and makes the process
 * list grow between calls. Built by the tests with: gcc -shared -fPIC -o libnvidia-ml.so.1 fake_nvml.c
 */
#include <string.h>
#include <stdio.h>

typedef int nvmlReturn_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25
#define MAX_DEVICES 16
#define MAX_FORCED 32

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
typedef struct { int index; } fake_device;
typedef fake_device *nvmlDevice_t;

#define NVML_STRUCT_VERSION(data, ver) (unsigned int)(sizeof(nvml##data##_v##ver##_t) | ((ver) << 24U))

static int initialized = 0;
static int device_count = 4;
static fake_device devices[MAX_DEVICES];
static int processes[MAX_DEVICES];
static int process_growth = 0;
static struct { char call[64]; int device; int code; } forced[MAX_FORCED];
static int forced_count = 0;

/* ---- control functions for tests ---- */
void fake_nvml_reset(void) {
    initialized = 0; device_count = 4; process_growth = 0; forced_count = 0;
    for (int i = 0; i < MAX_DEVICES; i++) { devices[i].index = i; processes[i] = i; }
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
int fake_nvml_is_initialized(void) { return initialized; }

static int forced_code(const char *call, nvmlDevice_t device) {
    for (int i = 0; i < forced_count; i++) {
        if (strcmp(forced[i].call, call) == 0 && (forced[i].device < 0 || (device && forced[i].device == device->index)))
            return forced[i].code;
    }
    return NVML_SUCCESS;
}

#define GUARD(call, device) do { \
        if (!initialized) return NVML_ERROR_UNINITIALIZED; \
        if ((device) == NULL && #device[0] != '0') return NVML_ERROR_INVALID_ARGUMENT; \
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
        case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
        case 9: return "Driver Not Loaded";
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
    snprintf(uuid, length, "GPU-00000000-0000-0000-0000-%012d", device->index);
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
    GUARD("nvmlDeviceGetUtilizationRates", device);
    utilization->gpu = 10u * (device->index + 1);
    utilization->memory = 5u * (device->index + 1);
    return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory) {
    GUARD("nvmlDeviceGetMemoryInfo_v2", device);
    if (memory->version != NVML_STRUCT_VERSION(Memory, 2)) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
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
        infos[i].pid = 1000u * (unsigned int) (device->index + 1) + (unsigned int) i;
        infos[i].usedGpuMemory = (unsigned long long) (i + 1) << 20;
        infos[i].gpuInstanceId = 0xFFFFFFFFu;
        infos[i].computeInstanceId = 0xFFFFFFFFu;
    }
    *count = (unsigned int) n;
    return NVML_SUCCESS;
}

__attribute__((constructor)) static void fake_nvml_load(void) { fake_nvml_reset(); }
