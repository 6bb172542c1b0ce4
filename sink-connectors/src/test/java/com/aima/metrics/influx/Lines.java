package com.aima.metrics.influx;

import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/** What identifies a point in InfluxDB: its series (measurement and tags, as line protocol writes them) and time. */
final class Lines {

    private Lines() {
    }

    /** {@code measurement,tags time}: the line protocol without the fields. */
    static String identity(Point point) {
        String line = point.lineProtocol(TimeUnit.MILLISECONDS);
        int seriesEnd = unescapedSpace(line, 0);
        int fieldsEnd = line.lastIndexOf(' ');
        return line.substring(0, seriesEnd) + line.substring(fieldsEnd);
    }

    private static int unescapedSpace(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ' ') {
                return i;
            }
        }
        throw new IllegalArgumentException("No series in '" + line + "'.");
    }
}
