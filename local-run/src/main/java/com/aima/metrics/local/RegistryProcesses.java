package com.aima.metrics.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the registry child's pid in its data directory, so that a run that was killed (kill -9 leaves the child
 * running and holding the database) does not block the next one: the next run stops the stale registry first.
 */
final class RegistryProcesses {

    private static final Logger log = LoggerFactory.getLogger(RegistryProcesses.class);
    private static final String PID_FILE = "registry.pid";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private RegistryProcesses() {
    }

    static void remember(Path registryDir, long pid) throws IOException {
        Files.writeString(registryDir.resolve(PID_FILE), Long.toString(pid));
    }

    /** Stops the registry a previous run left behind, if its pid file names a live Apicurio process. */
    static void stopStale(Path registryDir) throws IOException, InterruptedException {
        Path pidFile = registryDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            Files.delete(pidFile);
            return;
        }
        var stale = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains("apicurio-registry-app"));
        if (stale.isPresent()) {
            log.warn("Stopping the schema registry (pid {}) that a previous run left behind.", pid);
            stale.get().destroy();
            try {
                stale.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                stale.get().destroyForcibly();
            }
        }
        Files.delete(pidFile);
    }
}
