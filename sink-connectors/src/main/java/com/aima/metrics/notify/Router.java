package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which channels an alert goes to. By default those its rule named ({@link AlertEvent#getChannels()}); every
 * matching non-exclusive {@link Route} adds its channels. If any matching route is exclusive, the alert goes to the
 * channels of the matching exclusive routes only: the rule's channels and the other routes' are dropped. Channel names
 * compare case-insensitively and come back in lower case, in order of first mention, without repeats. Immutable.
 */
final class Router {

    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    Set<String> channelsFor(AlertEvent alert) {
        List<Route> matching = routes.stream().filter(route -> route.matches(alert)).toList();
        Set<String> channels = new LinkedHashSet<>();
        if (matching.stream().anyMatch(Route::exclusive)) {
            matching.stream().filter(Route::exclusive).forEach(route -> addAll(channels, route.channels()));
            return channels;
        }
        addAll(channels, alert.getChannels());
        matching.forEach(route -> addAll(channels, route.channels()));
        return channels;
    }

    private static void addAll(Set<String> channels, List<? extends CharSequence> names) {
        for (CharSequence name : names) {
            String normalized = name.toString().strip().toLowerCase(Locale.ROOT);
            if (!normalized.isEmpty()) {
                channels.add(normalized);
            }
        }
    }
}
