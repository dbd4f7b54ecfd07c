package dev.pricelake.core.bronze;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.Ticker;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch's staged tickers in one bronze-format file: every ticker's rows, ticker by ticker, and in the footer, under
 * {@link #TICKERS_KEY}, a JSON object from each staged ticker to the footer metadata its own staging file would carry
 * (a ticker with no valid bars is listed with no rows). The same tickers always give the same bytes.
 */
final class BatchFile {
    static final String TICKERS_KEY = "pricelake.staged_tickers";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchFile() {
    }

    static byte[] write(Map<Ticker, BronzeFile> tickers) {
        List<BronzeRow> rows = new ArrayList<>();
        ObjectNode listed = JSON.createObjectNode();
        new TreeMap<>(tickers).forEach((ticker, file) -> {
            for (BronzeRow row : file.rows()) {
                if (!row.bar().symbol().equals(ticker)) {
                    throw new IllegalArgumentException("a bar of " + row.bar().symbol() + " staged as " + ticker + "'s");
                }
            }
            rows.addAll(file.rows());
            ObjectNode metadata = listed.putObject(ticker.value());
            file.metadata().forEach(metadata::put);
        });
        try {
            return BronzeParquet.write(rows, Map.of(TICKERS_KEY, JSON.writeValueAsString(listed)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each listed ticker's rows and metadata; {@code source} names the file in any error. */
    static Map<Ticker, BronzeFile> read(byte[] data, String source) {
        BronzeFile file = BronzeParquet.readFile(data, source);
        String text = file.metadata().get(TICKERS_KEY);
        if (text == null) {
            throw new MalformedDataException(source, "has no " + TICKERS_KEY + " in its footer: it is not a batch's staged file");
        }
        JsonNode listed;
        try {
            listed = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedDataException(source, TICKERS_KEY + " is not JSON", e);
        }
        if (!listed.isObject()) {
            throw new MalformedDataException(source, TICKERS_KEY + " is not a JSON object of tickers");
        }
        Map<Ticker, Map<String, String>> metadata = new HashMap<>();
        Map<Ticker, List<BronzeRow>> rows = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = listed.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Ticker ticker;
            try {
                ticker = Ticker.of(entry.getKey());
            } catch (RuntimeException e) {
                throw new MalformedDataException(source, TICKERS_KEY + " lists '" + entry.getKey() + "', which is not a stock symbol", e);
            }
            Map<String, String> values = new TreeMap<>();
            entry.getValue().fields().forEachRemaining(kv -> values.put(kv.getKey(), kv.getValue().asText()));
            metadata.put(ticker, values);
            rows.put(ticker, new ArrayList<>());
        }
        for (BronzeRow row : file.rows()) {
            List<BronzeRow> own = rows.get(row.bar().symbol());
            if (own == null) {
                throw new MalformedDataException(source, "holds bars of " + row.bar().symbol() + ", which " + TICKERS_KEY
                        + " does not list");
            }
            own.add(row);
        }
        Map<Ticker, BronzeFile> tickers = new HashMap<>();
        metadata.forEach((ticker, values) -> tickers.put(ticker, new BronzeFile(rows.get(ticker), values)));
        return tickers;
    }
}
