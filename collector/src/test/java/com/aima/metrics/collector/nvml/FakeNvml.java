package com.aima.metrics.collector.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code src/test/c/fake_nvml.c} with gcc into {@code target/fake-nvml/libnvidia-ml.so.1} (once per JVM) and
 * gives tests its control functions. A mock in C, because no GPU is at hand here: it stands for the driver's library
 * so that the binding's symbols, struct layouts and error paths run for real through JNA.
 */
final class FakeNvml {

    /** The control functions the fake library exports besides NVML's. */
    interface Control extends Library {
        void fake_nvml_reset();

        void fake_nvml_set_device_count(int count);

        void fake_nvml_set_processes(int device, int count);

        void fake_nvml_set_process_growth(int extra);

        void fake_nvml_force(String call, int device, int code);

        int fake_nvml_is_initialized();
    }

    private static Path library;

    private FakeNvml() {
    }

    /** The compiled library's path. */
    static synchronized Path library() throws IOException, InterruptedException {
        if (library == null) {
            Path out = Path.of("target", "fake-nvml", "libnvidia-ml.so.1").toAbsolutePath();
            Files.createDirectories(out.getParent());
            Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-Wall", "-Werror", "-o", out.toString(),
                    Path.of("src", "test", "c", "fake_nvml.c").toString())
                    .redirectErrorStream(true).start();
            String output = new String(gcc.getInputStream().readAllBytes());
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IllegalStateException("gcc could not build the fake NVML library:\n" + output);
            }
            library = out;
        }
        return library;
    }

    /** The control functions, with the fake reset to 4 GPUs and no forced errors. */
    static Control control() throws IOException, InterruptedException {
        Control control = Native.load(library().toString(), Control.class);
        control.fake_nvml_reset();
        return control;
    }
}
