package com.aima.metrics.collector.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The local host's name, as labels carry it. */
public final class Hosts {

    private Hosts() {
    }

    /** {@code HOSTNAME} when set (as in containers), else what the resolver says, else {@code localhost}. */
    public static String localName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
