package com.aima.metrics.rollup;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a store that wraps a changelogged store built by Kafka Streams (for {@link OpenWindowStore} and
 * {@link ClockStore}, which keep live objects in memory and write them through when the task commits). Caching
 * settings are ignored: the wrapper is the cache.
 */
final class WrappingStoreBuilder<S extends StateStore, I extends StateStore> implements StoreBuilder<S> {

    private final StoreBuilder<I> inner;
    private final Function<I, S> wrapper;

    WrappingStoreBuilder(StoreBuilder<I> inner, Function<I, S> wrapper) {
        this.inner = inner.withCachingDisabled();
        this.wrapper = wrapper;
    }

    @Override
    public StoreBuilder<S> withCachingEnabled() {
        return this;
    }

    @Override
    public StoreBuilder<S> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<S> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public S build() {
        return wrapper.apply(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
