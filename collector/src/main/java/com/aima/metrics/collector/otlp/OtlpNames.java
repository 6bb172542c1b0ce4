package com.aima.metrics.collector.otlp;

import com.aima.metrics.SeriesKey;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How OpenTelemetry instrument names, units and attributes become {@code MetricEvent} names, units and labels.
 *
 * <p>Names: lower-cased (OpenTelemetry instrument names are case-insensitive), {@code .}, {@code -} and {@code /} become
 * {@code _}, then the unit suffix is appended unless the name already ends with it: {@code job.inference.time} in
 * {@code ms} becomes {@code job_inference_time_ms}. The result must match {@link SeriesKey#METRIC_NAME}.
 *
 * <p>Units (UCUM codes, as OpenTelemetry uses them) map to the pipeline's unit words; values are never converted:
 * <table>
 * <caption>OpenTelemetry unit to suffix and {@code MetricEvent.unit}</caption>
 * <tr><th>unit</th><th>suffix and unit</th></tr>
 * <tr><td>ns, us, ms</td><td>ns, us, ms</td></tr>
 * <tr><td>s, min, h, d</td><td>seconds, minutes, hours, days</td></tr>
 * <tr><td>By, KiBy, MiBy, GiBy, KBy, MBy, GBy</td><td>bytes, kibibytes, ..., gigabytes</td></tr>
 * <tr><td>%</td><td>percent</td></tr>
 * <tr><td>W, J, Cel, Hz</td><td>watts, joules, celsius, hertz</td></tr>
 * <tr><td>A/B, e.g. By/s, {frame}/s</td><td>A_per_B, B singular: bytes_per_second; per_second when A is an
 * annotation or 1</td></tr>
 * <tr><td>{annotation}, e.g. {job}</td><td>no suffix; unit {@code count}</td></tr>
 * <tr><td>1</td><td>no suffix; unit {@code 1} (dimensionless: a ratio 0..1 or a count, so no guess and no scaling)</td></tr>
 * <tr><td>empty</td><td>no suffix; unit empty (unknown)</td></tr>
 * <tr><td>anything else</td><td>lower-cased, characters other than letters and digits as {@code _}</td></tr>
 * </table>
 *
 * <p>Attribute keys become label names as in Prometheus: every character other than an ASCII letter, digit or {@code _}
 * becomes {@code _}, and a leading digit gets a {@code _} in front. Values are stringified.
 */
final class OtlpNames {

    /** Unit of events counting things: histogram counts and annotated units such as {@code {job}}. */
    static final String COUNT_UNIT = "count";

    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("ns", "ns"), Map.entry("us", "us"), Map.entry("ms", "ms"),
            Map.entry("s", "seconds"), Map.entry("min", "minutes"), Map.entry("h", "hours"), Map.entry("d", "days"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("KBy", "kilobytes"), Map.entry("MBy", "megabytes"),
            Map.entry("GBy", "gigabytes"), Map.entry("%", "percent"),
            Map.entry("W", "watts"), Map.entry("J", "joules"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"));
    /** Time units after "per", where they read singular: bytes_per_second. */
    private static final Map<String, String> PER_UNITS =
            Map.of("s", "second", "min", "minute", "h", "hour", "d", "day");

    private OtlpNames() {
    }

    /** The pipeline's unit word for an OpenTelemetry unit; see the class comment. */
    static String unit(String otelUnit) {
        if (otelUnit.isEmpty() || otelUnit.equals("1")) {
            return otelUnit;
        }
        if (isAnnotation(otelUnit)) {
            return COUNT_UNIT;
        }
        int slash = otelUnit.indexOf('/');
        if (slash > 0 && slash == otelUnit.lastIndexOf('/')) {
            String numerator = otelUnit.substring(0, slash);
            String per = otelUnit.substring(slash + 1);
            String denominator = PER_UNITS.getOrDefault(per, unitWord(per));
            return isAnnotation(numerator) || numerator.equals("1")
                    ? "per_" + denominator
                    : unitWord(numerator) + "_per_" + denominator;
        }
        return unitWord(otelUnit);
    }

    /**
     * The metric name for an OpenTelemetry instrument name and unit, or {@code null} if the name has characters
     * OpenTelemetry does not allow either (anything but letters, digits, {@code _ . - /}).
     */
    static String metricName(String otelName, String otelUnit) {
        String base = sanitize(otelName.toLowerCase(Locale.ROOT));
        if (base == null || !SeriesKey.METRIC_NAME.matcher(base).matches()) {
            return null;
        }
        String unit = unit(otelUnit);
        boolean suffixed = unit.isEmpty() || unit.equals("1") || unit.equals(COUNT_UNIT)
                || base.equals(unit) || base.endsWith("_" + unit);
        return suffixed ? base : base + "_" + unit;
    }

    /** The label name for an attribute key, or {@code null} for an empty key. */
    static String labelName(String attributeKey) {
        if (attributeKey.isEmpty()) {
            return null;
        }
        String name = attributeKey.replaceAll("[^a-zA-Z0-9_]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** An attribute value as a label value: arrays as {@code [a, b]}, bytes as base64. */
    static String labelValue(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream()
                    .map(OtlpNames::labelValue).collect(Collectors.joining(", ", "[", "]"));
            case KVLIST_VALUE -> value.getKvlistValue().getValuesList().stream()
                    .map(kv -> kv.getKey() + "=" + labelValue(kv.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            default -> "";
        };
    }

    private static boolean isAnnotation(String unit) {
        return unit.length() >= 2 && unit.charAt(0) == '{' && unit.charAt(unit.length() - 1) == '}';
    }

    private static String unitWord(String unit) {
        String known = UNITS.get(unit);
        return known != null ? known : unit.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    private static String sanitize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '-' || c == '/') {
                out.append('_');
            } else if (c < 128 && (Character.isLetterOrDigit(c) || c == '_')) {
                out.append(c);
            } else {
                return null;
            }
        }
        return out.toString();
    }
}
