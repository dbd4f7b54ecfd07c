package dev.pricelake.local.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.Ticker;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * The console's load-job form as the state machine's input: a backfill of daily or one-minute bars of specific
 * symbols or of a universe entry, over the last 1 to 60 months. A bad field is refused naming it as the form labels it.
 */
final class LoadJob {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private LoadJob() {
    }

    static ObjectNode input(JsonNode form, Clock clock) {
        String timespan = form.path("timespan").asText("day");
        if (!timespan.equals("day") && !timespan.equals("minute")) {
            throw new ApiError("BadRequest", "Timespan: daily or 1-minute, not '" + timespan + "'");
        }
        int months = form.path("months").asInt(-1);
        if (months < 1 || months > 60) {
            throw new ApiError("BadRequest", "Years of data: from 1 month to 5 years (1 to 60 months), not " + form.path("months"));
        }
        ObjectNode input = JSON.createObjectNode();
        input.put("mode", "backfill");
        input.put("timespan", timespan);
        LocalDate end = LocalDate.now(clock.withZone(NEW_YORK));
        input.put("start", end.minusMonths(months).toString());
        input.put("end", end.toString());
        ObjectNode selection = input.putObject("selection");
        switch (form.path("load_type").asText("")) {
            case "symbols" -> {
                List<String> symbols = Arrays.stream(form.path("symbols").asText("").split("[,\\s]+"))
                        .filter(s -> !s.isBlank()).toList();
                if (symbols.isEmpty()) {
                    throw new ApiError("BadRequest", "Symbols: give at least one, such as AAPL, MSFT");
                }
                ArrayNode tickers = selection.putArray("tickers");
                for (String symbol : symbols) {
                    try {
                        tickers.add(Ticker.of(symbol).value());
                    } catch (RuntimeException e) {
                        throw new ApiError("BadRequest", "Symbols: '" + symbol + "' is not a ticker");
                    }
                }
            }
            case "universe" -> {
                String entry = form.path("universe").asText("");
                if (entry.split("/").length != 3) {
                    throw new ApiError("BadRequest", "Universe: choose an entry (type/name/key)");
                }
                selection.put("universe_entry", entry);
            }
            default -> throw new ApiError("BadRequest", "Load type: 'symbols' or 'universe', not '"
                    + form.path("load_type").asText("") + "'");
        }
        if (form.hasNonNull("batch_size")) {
            input.put("batch_size", form.path("batch_size").asInt());
        }
        input.put("max_concurrency", form.path("max_concurrency").asInt(2));
        return input;
    }
}
