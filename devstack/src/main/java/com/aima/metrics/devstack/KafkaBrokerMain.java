package com.aima.metrics.devstack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs an {@link EmbeddedKafka} broker as a process of its own, for tests that kill it ({@code kill -9}) and start it
 * again on the same log directory and port. Arguments: {@code LOG_DIR PORT [key=value ...]} (broker settings). Prints
 * {@value #READY} followed by the bootstrap servers once the broker serves clients; stops on SIGTERM or SIGINT.
 */
public final class KafkaBrokerMain {

    /** The line printed once the broker is ready, before its bootstrap servers. */
    public static final String READY = "Kafka broker ready at ";

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("Usage: KafkaBrokerMain LOG_DIR PORT [key=value ...]");
            System.exit(2);
        }
        Map<String, String> config = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals < 1) {
                System.err.println("Broker setting '" + args[i] + "' is not key=value.");
                System.exit(2);
            }
            config.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), config);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-broker-shutdown"));
        System.out.println(READY + kafka.bootstrapServers());
        System.out.flush();
    }
}
