package com.aima.metrics.collector.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The local host's name, as labels carry it. */
public final class Hosts {

    private Hosts() {
    }

    /**
     * {@code NODE_NAME} when set (the Kubernetes node, through the downward API: in a pod, {@code HOSTNAME} is the
     * pod's name), else {@code HOSTNAME}, else what the resolver says, else {@code localhost}.
     */
    public static String localName() {
        for (String variable : new String[] {"NODE_NAME", "HOSTNAME"}) {
            String env = System.getenv(variable);
            if (env != null && !env.isBlank()) {
                return env;
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
