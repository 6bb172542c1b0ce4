package com.aima.metrics.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real Kafka broker: Kafka's {@link KafkaClusterTestKit}, one combined KRaft node in this JVM, started
 * on first use and shared by every test class of the JVM until the test run ends. Inject it as a {@link KafkaBroker}
 * parameter of a test, a constructor, or a {@code @BeforeAll} method.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    /** The JVM's shared broker, started on first call. */
    public static KafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningCluster.class, key -> RunningCluster.start(), RunningCluster.class)
                .broker();
    }

    /** The test kit, closed by JUnit when the root context closes at the end of the run. */
    private record RunningCluster(KafkaClusterTestKit cluster, KafkaBroker broker) implements AutoCloseable {

        static RunningCluster start() {
            try {
                KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                        // Without these a single broker hangs consumer groups and transactions for 60 s.
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                        .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                return new RunningCluster(cluster, new KafkaBroker(cluster));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the test Kafka broker: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }
}
