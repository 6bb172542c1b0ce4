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

    /** NOT_SUPPORTED, or FUNCTION_NOT_FOUND: a driver too old to have the call does not support it either. */
    public boolean isNotSupported() {
        return code == NvmlReturn.ERROR_NOT_SUPPORTED || code == NvmlReturn.ERROR_FUNCTION_NOT_FOUND;
    }

    public boolean isGpuLost() {
        return code == NvmlReturn.ERROR_GPU_IS_LOST;
    }
}
