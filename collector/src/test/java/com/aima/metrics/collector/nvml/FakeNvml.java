package com.aima.metrics.collector.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code src/test/c/fake_nvml.c} with gcc into {@code target/fake-nvml/libnvidia-ml.so.1} (once per JVM) and
 * gives tests its control functions. A mock in C, because no GPU is at hand here: it stands for the driver's library
 * so that the binding's symbols, struct layouts and error paths run for real through JNA.
 */
public final class FakeNvml {

    /** The control functions the fake library exports besides NVML's. */
    public interface Control extends Library {
        void fake_nvml_reset();

        void fake_nvml_set_device_count(int count);

        void fake_nvml_set_processes(int device, int count);

        void fake_nvml_set_process_growth(int extra);

        void fake_nvml_force(String call, int device, int code);

        int fake_nvml_is_initialized();

        void fake_nvml_clear_forced();

        void fake_nvml_set_process_info_stride(int bytes);

        void fake_nvml_set_process_memory_unavailable(int device);

        void fake_nvml_add_process_sample(int device, int pid, long timestampUs, int sm, int mem, int enc, int dec);

        /** {@code mode}: -1 no MIG on this GPU, 0 disabled, 1 enabled with a MIG device in each slot set in slots. */
        void fake_nvml_set_mig(int device, int mode, int slots);

        void fake_nvml_set_mig_utilization_supported(int supported);

        void fake_nvml_set_gpm_supported(int device, int supported);

        void fake_nvml_advance_gpm(int device, long elapsedUs, long tensorActiveUs);

        int fake_nvml_gpm_samples_live();

        int fake_nvml_sizeof(String type);

        int fake_nvml_offsetof(String typeDotField);
    }

    private static Path library;
    private static Path libraryWithoutGpm;

    private FakeNvml() {
    }

    /** The compiled library's path. */
    public static synchronized Path library() throws IOException, InterruptedException {
        if (library == null) {
            library = build("fake-nvml");
        }
        return library;
    }

    /** The library as a driver older than R520 has it: without the {@code nvmlGpm*} symbols. */
    static synchronized Path libraryWithoutGpm() throws IOException, InterruptedException {
        if (libraryWithoutGpm == null) {
            libraryWithoutGpm = build("fake-nvml-no-gpm", "-DFAKE_NVML_NO_GPM");
        }
        return libraryWithoutGpm;
    }

    /** The control functions, with the fake reset to 4 GPUs and no forced errors. */
    public static Control control() throws IOException, InterruptedException {
        return control(library());
    }

    /** The control functions of {@code library} (each library has its own state), reset. */
    static Control control(Path library) {
        Control control = Native.load(library.toString(), Control.class);
        control.fake_nvml_reset();
        return control;
    }

    private static Path build(String directory, String... defines) throws IOException, InterruptedException {
        Path out = Path.of("target", directory, "libnvidia-ml.so.1").toAbsolutePath();
        Files.createDirectories(out.getParent());
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-Wall", "-Werror"));
        command.addAll(List.of(defines));
        command.addAll(List.of("-o", out.toString(), Path.of("src", "test", "c", "fake_nvml.c").toString()));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException("gcc could not build the fake NVML library:\n" + output);
        }
        return out;
    }
}
