package com.aima.metrics.collector.nvml;

/** The {@code nvmlReturn_t} codes the collector acts on (values from {@code nvml.h}). */
public final class NvmlReturn {

    public static final int SUCCESS = 0;
    public static final int ERROR_UNINITIALIZED = 1;
    public static final int ERROR_INVALID_ARGUMENT = 2;
    public static final int ERROR_NOT_SUPPORTED = 3;
    public static final int ERROR_NO_PERMISSION = 4;
    public static final int ERROR_NOT_FOUND = 6;
    public static final int ERROR_INSUFFICIENT_SIZE = 7;
    public static final int ERROR_DRIVER_NOT_LOADED = 9;
    /** The library lacks the function: a driver older than the call (GPM needs R520 or newer). */
    public static final int ERROR_FUNCTION_NOT_FOUND = 13;
    public static final int ERROR_GPU_IS_LOST = 15;
    /** A versioned struct whose {@code version} field the driver does not know. */
    public static final int ERROR_ARGUMENT_VERSION_MISMATCH = 25;
    public static final int ERROR_UNKNOWN = 999;

    private NvmlReturn() {
    }
}
