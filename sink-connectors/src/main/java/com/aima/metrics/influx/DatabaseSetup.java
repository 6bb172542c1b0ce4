package com.aima.metrics.influx;

import com.aima.metrics.influx.InfluxSchema.RetentionPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the database and its retention policies when missing, with {@code CREATE DATABASE ... WITH ... NAME raw}
 * (so that {@code raw} is the DEFAULT policy and no {@code autogen} is made) and
 * {@code CREATE RETENTION POLICY ... DURATION ... REPLICATION 1}; alters a policy whose duration differs from the
 * configured one (the configuration wins, so changing {@code influxdb.retention.<policy>} takes effect at the next
 * start) and makes {@code raw} the DEFAULT again if it is not. Every statement is idempotent: tasks may run it at the
 * same time.
 */
final class DatabaseSetup {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSetup.class);

    private final InfluxWriter influx;
    private final Map<RetentionPolicy, String> durations;

    DatabaseSetup(InfluxWriter influx, Map<RetentionPolicy, String> durations) {
        this.influx = influx;
        this.durations = Map.copyOf(durations);
    }

    /**
     * @throws RetriableException when InfluxDB cannot be reached
     * @throws ConnectException   when it refuses a statement (for example a user without admin rights)
     */
    void ensure() {
        String database = influx.database();
        if (!databases().contains(database)) {
            String raw = durations.get(RetentionPolicy.RAW);
            influx.query("CREATE DATABASE " + identifier(database) + " WITH DURATION " + raw + " REPLICATION 1 NAME "
                    + identifier(RetentionPolicy.RAW.policyName()));
            log.info("Created InfluxDB database '{}' at {} with DEFAULT retention policy '{}' ({}).", database,
                    influx.url(), RetentionPolicy.RAW.policyName(), raw);
        }
        Map<String, Existing> existing = policies(database);
        for (RetentionPolicy policy : RetentionPolicy.values()) {
            String duration = durations.get(policy);
            Existing current = existing.get(policy.policyName());
            String target = identifier(policy.policyName()) + " ON " + identifier(database) + " DURATION " + duration;
            String makeDefault = policy.isDefault() ? " DEFAULT" : "";
            if (current == null) {
                influx.query("CREATE RETENTION POLICY " + target + " REPLICATION 1" + makeDefault);
                log.info("Created retention policy '{}' ({}) on '{}'.", policy.policyName(), duration, database);
            } else if (!InfluxDurations.parse(duration).equals(current.duration())) {
                influx.query("ALTER RETENTION POLICY " + target + makeDefault);
                log.warn("Altered retention policy '{}' on '{}' from {} to {} (influxdb.retention.{}).",
                        policy.policyName(), database, current.text(), duration, policy.policyName());
            } else if (policy.isDefault() && !current.isDefault()) {
                influx.query("ALTER RETENTION POLICY " + identifier(policy.policyName()) + " ON "
                        + identifier(database) + " DEFAULT");
                log.warn("Made retention policy '{}' the DEFAULT of '{}' again.", policy.policyName(), database);
            }
        }
    }

    private List<String> databases() {
        QueryResult result = influx.query("SHOW DATABASES");
        return rows(result).stream().map(row -> (String) row.get(0)).toList();
    }

    private record Existing(String text, Duration duration, boolean isDefault) {
    }

    private Map<String, Existing> policies(String database) {
        Map<String, Existing> policies = new HashMap<>();
        for (List<Object> row : rows(influx.query("SHOW RETENTION POLICIES ON " + identifier(database)))) {
            String text = String.valueOf(row.get(1));
            Duration duration;
            try {
                duration = InfluxDurations.parse(text);
            } catch (IllegalArgumentException e) {
                duration = null; // compared unequal: altered to the configured duration
            }
            policies.put((String) row.get(0), new Existing(text, duration, Boolean.TRUE.equals(row.get(4))));
        }
        return policies;
    }

    private static List<List<Object>> rows(QueryResult result) {
        if (result.getResults() == null || result.getResults().isEmpty()
                || result.getResults().get(0).getSeries() == null) {
            return List.of();
        }
        return result.getResults().get(0).getSeries().stream()
                .flatMap(series -> series.getValues() == null ? Stream.empty()
                        : series.getValues().stream())
                .toList();
    }

    /** An InfluxQL identifier in double quotes. */
    static String identifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
