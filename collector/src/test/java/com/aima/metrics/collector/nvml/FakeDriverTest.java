package com.aima.metrics.collector.nvml;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the tests on the fake driver: NVML opened on it (reset) before each test, closed after. */
abstract class FakeDriverTest {

    FakeNvml.Control fake;
    Nvml nvml;

    @BeforeEach
    void openFakeDriver() throws Exception {
        open(FakeNvml.library());
    }

    /** Closes what is open and opens NVML on {@code library} instead, its state reset. */
    void open(Path library) {
        closeFakeDriver();
        fake = FakeNvml.control(library);
        nvml = Nvml.open(library.toString());
        opened();
    }

    /** Opens what sits on {@link #nvml}; called after each {@link #open}. */
    void opened() {
    }

    /** Closes what sits on {@link #nvml}, before NVML itself. */
    void closing() {
    }

    @AfterEach
    void closeFakeDriver() {
        if (nvml != null) {
            closing();
            nvml.close();
            nvml = null;
        }
    }
}
