package com.aima.metrics.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that needs the real Kafka broker and Schema Registry; both are started once per JVM and
 * injected as {@link KafkaBroker} and {@link SchemaRegistry} parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
public @interface RealKafkaAndRegistry {
}
