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
        return line(counts, Map.of(), properties, timestampMillis);
    }

    /**
     * @param dimension one dimension (or none): each metric is published both without it (what an alarm on the
     *                  whole system reads) and with it (what a dashboard splits by)
     */
    public static String line(Map<String, Long> counts, Map<String, String> dimension, Map<String, String> properties,
            long timestampMillis) {
        if (dimension.size() > 1) {
            throw new IllegalArgumentException("one dimension at most, not " + dimension.keySet());
        }
        ObjectNode line = Events.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray();
        dimension.forEach((name, value) -> {
            dimensions.addArray().add(name);
            line.put(name, value);
        });
        ArrayNode metrics = directive.putArray("Metrics");
        properties.forEach(line::put);
        counts.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", "Count");
            line.put(name, value);
        });
        return line.toString();
    }
}
