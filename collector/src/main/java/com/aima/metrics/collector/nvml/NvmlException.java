package com.aima.metrics.collector.nvml;

/** An NVML call that returned an error code; the message names the call, the device index and NVML's text. */
public class NvmlException extends RuntimeException {

    private final int code;

    public NvmlException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The {@code nvmlReturn_t} ({@link NvmlReturn}). */
    public int code() {
        return code;
    }

    public boolean isNotSupported() {
        return code == NvmlReturn.ERROR_NOT_SUPPORTED;
    }

    public boolean isGpuLost() {
        return code == NvmlReturn.ERROR_GPU_IS_LOST;
    }
}
