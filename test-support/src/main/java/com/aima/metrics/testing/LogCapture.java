package com.aima.metrics.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects what one class logs (through log4j, the tests' SLF4J binding), for "logged once" assertions. Close it to
 * detach.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final AbstractAppender appender;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    public LogCapture(Class<?> type) {
        logger = (Logger) LogManager.getLogger(type);
        appender = new AbstractAppender("capture-" + type.getSimpleName(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                messages.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
    }

    /** The messages logged so far that contain {@code text}. */
    public List<String> containing(String text) {
        return messages.stream().filter(message -> message.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
