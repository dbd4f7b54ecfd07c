package dev.pricelake.adapters.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.recent.RetentionWindow;
import java.util.ArrayList;
import java.util.Iterator;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** JSON of the events that travel between the states; every parse error names its field. */
public final class Events {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Ten a second: beyond that, spacing requests through the progress table costs more than it saves. */
    static final int MAX_REQUESTS_PER_MINUTE = 600;

    private Events() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ObjectNode toJson(Batch batch) {
        ObjectNode node = NODES.objectNode();
        node.put("run_id", batch.runId().value());
        node.put("epoch", batch.epoch());
        node.put("batch", batch.batch());
        ArrayNode tickers = node.putArray("tickers");
        batch.tickers().forEach(t -> tickers.add(t.value()));
        node.put("start", batch.range().start().toString());
        node.put("end", batch.range().end().toString());
        node.put("adjusted", batch.adjusted());
        if (batch.asOf() != null) {
            node.put("as_of", batch.asOf().toString());
        }
        node.put("fetch", batch.fetch().json());
        node.put("expected_symbols", batch.expectedSymbols());
        if (batch.requestsPerMinute() != null) {
            node.put("requests_per_minute", batch.requestsPerMinute());
        }
        if (batch.replace()) {
            node.put("replace", true);
        }
        if (!batch.starts().isEmpty()) {
            node.set("starts", toJson(batch.starts()));
        }
        if (batch.timespan() != Timespan.DAY) {
            node.put("timespan", batch.timespan().json());
            node.put(RetentionWindow.MINUTE_DAYS_FIELD, batch.minuteRetentionDays());
        }
        if (!batch.retire().isEmpty()) {
            ObjectNode retire = node.putObject("retire");
            batch.retire().forEach((old, now) -> retire.put(old.value(), now.value()));
        }
        return node;
    }

    /** {@code {"ABC": "2024-06-03", ...}}. */
    public static ObjectNode toJson(Map<Ticker, LocalDate> dates) {
        ObjectNode node = NODES.objectNode();
        dates.forEach((t, d) -> node.put(t.value(), d.toString()));
        return node;
    }

    private static Map<Ticker, Ticker> retired(JsonNode node) {
        Map<Ticker, Ticker> out = new TreeMap<>();
        JsonNode value = node.get("retire");
        if (value != null && value.isObject()) {
            value.fields().forEachRemaining(e -> out.put(Ticker.of(e.getKey()), Ticker.of(e.getValue().asText())));
        }
        return out;
    }

    /** An optional object of ticker to date; empty when absent. */
    public static Map<Ticker, LocalDate> tickerDates(JsonNode node, String field) {
        Map<Ticker, LocalDate> out = new TreeMap<>();
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw new InvalidInputException(field, "must be an object of ticker to date");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            Ticker ticker;
            try {
                ticker = Ticker.of(e.getKey());
            } catch (InvalidInputException bad) {
                throw new InvalidInputException(field + "." + e.getKey(), bad.problem());
            }
            out.put(ticker, DateRange.parseDate(field + "." + e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** A batch item; extra fields (such as a caught error) are allowed, since states add them on the way. */
    public static Batch batch(JsonNode node) {
        return new Batch(runId(node), integer(node, "epoch"), integer(node, "batch"), tickers(node, "tickers"),
                DateRange.parse(text(node, "start"), text(node, "end")), bool(node, "adjusted", true), date(node, "as_of"),
                node.hasNonNull("fetch") ? FetchMethod.parse("fetch", text(node, "fetch")) : FetchMethod.RANGE,
                node.hasNonNull("expected_symbols") ? integer(node, "expected_symbols") : 0, requestsPerMinute(node),
                bool(node, "replace", false), tickerDates(node, "starts"), retired(node), timespan(node),
                minuteRetentionDays(node));
    }

    /** {@code minute_retention_days}: calendar days of minutes kept in PostgreSQL, 30 when absent. */
    public static int minuteRetentionDays(JsonNode node) {
        return node.hasNonNull(RetentionWindow.MINUTE_DAYS_FIELD)
                ? RetentionWindow.requireMinuteDays(integer(node, RetentionWindow.MINUTE_DAYS_FIELD))
                : RetentionWindow.DEFAULT_MINUTE_DAYS;
    }

    /** {@code timespan}: "day" (absent) or "minute". */
    public static Timespan timespan(JsonNode node) {
        return node.hasNonNull("timespan") ? Timespan.parse("timespan", text(node, "timespan")) : Timespan.DAY;
    }

    /**
     * A run's own limit on calls to Polygon: 0 (no limit: a paid plan) to 600 a minute, or null (absent) for the
     * deployment's POLYGON_REQUESTS_PER_MINUTE.
     */
    public static Integer requestsPerMinute(JsonNode node) {
        if (!node.hasNonNull("requests_per_minute")) {
            return null;
        }
        int perMinute = integer(node, "requests_per_minute");
        if (perMinute < 0 || perMinute > MAX_REQUESTS_PER_MINUTE) {
            throw new InvalidInputException("requests_per_minute", perMinute + " is outside 0.." + MAX_REQUESTS_PER_MINUTE
                    + " (0: no limit, for a paid plan)");
        }
        return perMinute;
    }

    public static ObjectNode toJson(RunSummary summary) {
        ObjectNode node = NODES.objectNode();
        node.put("run_id", summary.runId().value());
        node.put("status", summary.status().name());
        ObjectNode tickers = node.putObject("tickers");
        tickers.put("succeeded", summary.succeeded());
        tickers.put("rate_limited", summary.rateLimited());
        tickers.put("failed", summary.failed());
        tickers.put("pending", summary.pending());
        node.put("bars", summary.bars());
        node.put("quarantined", summary.quarantined());
        node.put("message", summary.message());
        return node;
    }

    /**
     * A readable line from a caught Step Functions error ({@code {"Error": ..., "Cause": ...}}): the Cause of a
     * Lambda error is the runtime's JSON, whose errorMessage is what a person wants to see. Our own exceptions'
     * messages say what happened, so their Java class name (the errorType states match on) is left out.
     */
    public static String errorText(JsonNode error) {
        if (error == null || error.isNull()) {
            return "unknown error";
        }
        if (error.isTextual()) {
            return error.asText();
        }
        String name = error.path("Error").asText("error");
        String cause = error.path("Cause").asText("");
        try {
            JsonNode parsed = JsonHandler.JSON.readTree(cause);
            if (parsed != null && parsed.hasNonNull("errorMessage")) {
                cause = parsed.get("errorMessage").asText();
            }
        } catch (java.io.IOException notJson) {
            // A plain-text cause is already readable.
        }
        String prefix = name + ": ";
        if (cause.startsWith(prefix)) {
            cause = cause.substring(prefix.length());
        }
        return name.startsWith(OWN_ERRORS) && !cause.isBlank() ? cause : prefix + cause;
    }

    /** The package of the errors our handlers raise on purpose. */
    private static final String OWN_ERRORS = "dev.pricelake.";

    public static RunId runId(JsonNode node) {
        return new RunId(text(node, "run_id"));
    }

    public static void rejectUnknownFields(JsonNode node, Set<String> known, String where) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidInputException(where.isEmpty() ? name : where + "." + name,
                        "is not a known field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(field, "is missing");
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "must be a string, not " + value);
        }
        return value.asText();
    }

    public static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(field, "is missing");
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new InvalidInputException(field, "must be a whole number, not " + value);
        }
        return value.asInt();
    }

    /** An optional date field: null when absent. */
    public static java.time.LocalDate date(JsonNode node, String field) {
        return node.hasNonNull(field) ? DateRange.parseDate(field, text(node, field)) : null;
    }

    public static boolean bool(JsonNode node, String field, boolean otherwise) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(field, "must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    public static List<Ticker> tickers(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new InvalidInputException(field, "must be a list of ticker symbols");
        }
        List<Ticker> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a string, not " + item);
            }
            try {
                out.add(Ticker.of(item.asText()));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(field + "[" + i + "]", e.problem());
            }
        }
        return out;
    }
}
