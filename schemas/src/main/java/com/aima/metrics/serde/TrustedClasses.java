package com.aima.metrics.serde;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Adds generated record classes to Avro's class allowlist. Since 1.12.1 Avro refuses to load a class that a schema
 * names unless it is trusted, so that a schema from an untrusted registry cannot make a reader instantiate arbitrary
 * classes. The serde trusts exactly the classes it reads and writes: the project's schema package and any class
 * configured as reader type.
 */
public final class TrustedClasses {

    /** Package of the generated classes of every topic schema of this project. */
    static final String SCHEMA_PACKAGE = "com.aima.metrics.schema";

    private static final Set<String> TRUSTED = ConcurrentHashMap.newKeySet();

    static {
        trust(SCHEMA_PACKAGE);
    }

    private TrustedClasses() {
    }

    /**
     * Trusts the project's schema package. Code that builds or decodes generated records before the serde has run
     * calls this first: a builder resolving an enum default, or a single-object decoder, loads such classes too.
     */
    public static void trustSchemaPackage() {
        trust(SCHEMA_PACKAGE);
    }

    /** Trusts {@code type}'s package. */
    static void trust(Class<?> type) {
        if (type != null && type.getPackageName() != null) {
            trust(type.getPackageName());
        }
    }

    private static synchronized void trust(String packageName) {
        if (TRUSTED.add(packageName)) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                    type -> type.getPackageName().equals(packageName)));
        }
    }
}
