package dev.pricelake.adapters.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * CloudWatch embedded metric format: one JSON log line that Lambda's log stream turns into metrics in the
 * {@code pricelake} namespace, with no SDK call and no permission beyond writing logs.
 */
public final class Metrics {
    public static final String NAMESPACE = "pricelake";

    private Metrics() {
    }

    /** @param counts metric name to value, all of unit Count; @param properties searchable fields, not metrics */
    public static String line(Map<String, Long> counts, Map<String, String> properties, long timestampMillis) {
        ObjectNode line = Events.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray();
        ArrayNode metrics = directive.putArray("Metrics");
        properties.forEach(line::put);
        counts.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", "Count");
            line.put(name, value);
        });
        return line.toString();
    }
}
