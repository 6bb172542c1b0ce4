package com.aima.metrics.alert;

import java.util.Arrays;
import java.util.Locale;

/**
 * The comparison of a rule's value with its threshold (seed 004 section 5.3: gt, lt, eq, ...), or {@link #ABSENT}: no
 * sample of the series for the rule's {@code for} (a collector that went silent).
 */
public enum Condition {
    GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!="), ABSENT("absent for");

    private final String symbol;

    Condition(String symbol) {
        this.symbol = symbol;
    }

    /** Whether {@code value} compared with {@code threshold} satisfies this condition; never for {@link #ABSENT}. */
    public boolean holds(double value, double threshold) {
        return switch (this) {
            case ABSENT -> false;
            case GT -> value > threshold;
            case GE -> value >= threshold;
            case LT -> value < threshold;
            case LE -> value <= threshold;
            case EQ -> value == threshold;
            case NE -> value != threshold;
        };
    }

    /** The name rules are written with: gt, ge, lt, le, eq, ne. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String symbol() {
        return symbol;
    }

    /** @throws IllegalArgumentException naming the accepted codes */
    public static Condition of(String code) {
        for (Condition condition : values()) {
            if (condition.code().equals(code)) {
                return condition;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not a condition; use one of "
                + Arrays.stream(values()).map(Condition::code).toList() + ".");
    }
}
