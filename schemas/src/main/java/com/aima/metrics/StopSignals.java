package com.aima.metrics;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM as a latch, so that a main thread can close everything in order and return exit code
 * 0. A JVM shutdown hook cannot do that: the JVM exits with 130 or 143 after one. {@code sun.misc.Signal} is the only
 * JDK API for it (module jdk.unsupported).
 */
public final class StopSignals {

    private StopSignals() {
    }

    /** A latch that the next SIGINT or SIGTERM counts down; installing it replaces the JVM's default handlers. */
    public static CountDownLatch install() {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        return stop;
    }
}
