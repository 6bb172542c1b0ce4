package com.aima.metrics.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's current rules: fixed, or read from a YAML file that is checked for changes every reload interval and
 * read again when its content changed, without a restart (rules in a Kubernetes ConfigMap, a file managed by
 * configuration management). A file that fails to parse is logged with the rule and field at fault and the rules in
 * use stay; so does a file that has disappeared. The check compares content, not modification times, so that the
 * atomic symlink swap of a ConfigMap update is seen too.
 */
public final class RuleSource implements Supplier<RuleSet>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RuleSource.class);

    private final Path file;
    private final ScheduledExecutorService watcher;
    private volatile RuleSet current;
    private volatile String lastError;
    private byte[] lastContent;

    private RuleSource(RuleSet rules, Path file, byte[] content) {
        this.current = rules;
        this.file = file;
        this.lastContent = content;
        this.watcher = file == null ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "alert-rules-watcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Always {@code rules}. */
    public static RuleSource fixed(List<AlertRule> rules) {
        return new RuleSource(new RuleSet(rules), null, null);
    }

    /** The shipped defaults, or the rules of {@code config}'s file, watched. */
    public static RuleSource of(AlertConfig config) {
        Path file = config.rulesFile();
        return file == null ? fixed(AlertRules.defaults()) : watching(file, config.rulesReloadInterval());
    }

    /**
     * The rules in {@code file}, checked for changes every {@code interval}.
     *
     * @throws IllegalArgumentException when the file cannot be read or its rules are wrong, naming the rule and field
     */
    public static RuleSource watching(Path file, Duration interval) {
        byte[] content = read(file);
        RuleSource source = new RuleSource(parse(content, file), file, content);
        log.info("Alert rules: {} from {}, checked for changes every {}.", source.current.rules().size(), file,
                interval);
        source.watcher.scheduleWithFixedDelay(source::reloadIfChanged, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return source;
    }

    @Override
    public RuleSet get() {
        return current;
    }

    /** Why the last change of the file was not applied; null when it was, or nothing changed. */
    public String lastError() {
        return lastError;
    }

    /** Reads the file again if its content changed; what the watcher runs. Returns whether new rules apply. */
    synchronized boolean reloadIfChanged() {
        byte[] content;
        try {
            content = read(file);
        } catch (IllegalArgumentException e) {
            if (lastError == null || !lastError.equals(e.getMessage())) {
                log.error("{} Keeping the {} rules in use.", e.getMessage(), current.rules().size());
            }
            lastError = e.getMessage();
            return false;
        }
        if (Arrays.equals(content, lastContent)) {
            return false;
        }
        lastContent = content;
        try {
            current = parse(content, file);
            lastError = null;
            log.info("Alert rules reloaded from {}: {} rules.", file, current.rules().size());
            return true;
        } catch (IllegalArgumentException e) {
            lastError = e.getMessage();
            log.error("Alert rules not reloaded: {} Keeping the {} rules in use.", e.getMessage(),
                    current.rules().size());
            return false;
        }
    }

    private static RuleSet parse(byte[] content, Path file) {
        return new RuleSet(AlertRules.parse(new String(content, StandardCharsets.UTF_8), file.toString()));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the alert rules " + file + ": " + e + ".", e);
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
