package com.aima.metrics.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Text files shipped on the class path: the default alert rules, the sample price catalog. */
public final class Resources {

    private Resources() {
    }

    /**
     * The UTF-8 text of class-path resource {@code name}.
     *
     * @throws IllegalStateException when it is missing (a broken build, not a user's mistake)
     */
    public static String text(String name) {
        try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
