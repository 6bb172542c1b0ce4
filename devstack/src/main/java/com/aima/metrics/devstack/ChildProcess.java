package com.aima.metrics.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the servers devstack runs as child processes share: waiting for their HTTP API, their log, stopping them. */
final class ChildProcess {

    private ChildProcess() {
    }

    /**
     * Polls {@code probe} every {@code poll} until it answers {@code expectedStatus}, while {@code process} lives.
     *
     * @param program how the exit message names the process, e.g. {@code "influxd"}
     * @param name    how the other messages name the server, e.g. {@code "InfluxDB"} or {@code "The Apicurio
     *                registry"} (a leading "The" is lower-cased mid-sentence)
     * @param url     where the server should be, for the timeout message
     * @throws IllegalStateException with the end of {@code logFile} when the process exits first or {@code timeout}
     *                               passes, or when interrupted
     */
    static void awaitHttp(Process process, URI probe, int expectedStatus, Duration timeout, Duration poll,
            String program, String name, String url, Path logFile) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build();
        String interrupted = "Interrupted while waiting for "
                + (name.startsWith("The ") ? "the" + name.substring(3) : name) + ".";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(program + " exited with code " + process.exitValue()
                        + " before it was ready. Its log (" + logFile + ") ends with:\n" + logTail(logFile));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == expectedStatus) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted, e);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted, e);
            }
        }
        throw new IllegalStateException(name + " was not ready at " + url + " within " + timeout
                + ". Its log (" + logFile + ") ends with:\n" + logTail(logFile));
    }

    /** The last 20 lines of {@code logFile}, or why it cannot be read. */
    static String logTail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 10 s (or at once when interrupted, keeping the interrupt). */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
