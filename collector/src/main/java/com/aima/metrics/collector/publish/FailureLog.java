package com.aima.metrics.collector.publish;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs a failure that repeats while something is unreachable: at WARN with the exception the first time, then at
 * most once per interval with how often it happened meanwhile, and once at INFO when it ends. Thread-safe.
 */
final class FailureLog {

    private final Logger log;
    private final String what;
    private final long intervalNs;
    private volatile boolean failing;
    private long failures;
    private long suppressed;
    private long lastLoggedNs;

    FailureLog(Logger log, String what, Duration interval) {
        this.log = log;
        this.what = what;
        this.intervalNs = interval.toNanos();
    }

    synchronized void failed(Exception failure) {
        long now = System.nanoTime();
        failures++;
        if (!failing) {
            failing = true;
            lastLoggedNs = now;
            log.warn("{} failed; the events stay in the spool and are retried.", what, failure);
        } else if (now - lastLoggedNs >= intervalNs) {
            log.warn("{} still fails ({} more failures): {}", what, suppressed + 1, failure.toString());
            lastLoggedNs = now;
            suppressed = 0;
        } else {
            suppressed++;
        }
    }

    void recovered() {
        if (failing) {
            synchronized (this) {
                if (failing) {
                    failing = false;
                    log.info("{} works again after {} failures.", what, failures);
                    failures = 0;
                    suppressed = 0;
                }
            }
        }
    }
}
