package dev.pricelake.core.bronze;

import dev.pricelake.core.Bar;
import dev.pricelake.core.Concurrently;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ohlcv;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The bronze layer: one Parquet file per symbol under {@code bronze/raw_ohlcv/symbol=X/data.parquet}. */
public final class BronzeLake {
    public static final String PREFIX = "bronze/raw_ohlcv/";
    private final ObjectStore store;

    public BronzeLake(ObjectStore store) {
        this.store = store;
    }

    public static String key(Ticker symbol) {
        return PREFIX + "symbol=" + symbol.value() + "/data.parquet";
    }

    /** Every symbol with a bronze file, in order. */
    public List<Ticker> symbols() {
        List<Ticker> symbols = new ArrayList<>();
        for (String key : store.list(PREFIX)) {
            String rest = key.substring(PREFIX.length());
            if (rest.startsWith("symbol=") && rest.endsWith("/data.parquet")) {
                symbols.add(Ticker.of(rest.substring("symbol=".length(), rest.length() - "/data.parquet".length())));
            }
        }
        return symbols;
    }

    /** The date of each symbol's last bar (symbols without bars are left out). */
    public Map<Ticker, LocalDate> lastDates(List<Ticker> symbols) {
        Map<Ticker, LocalDate> last = new TreeMap<>();
        lastBars(symbols).forEach((symbol, bar) -> last.put(symbol, bar.date()));
        return last;
    }

    /**
     * Each symbol's last bar (symbols without bars are left out). The files are read concurrently: each read is
     * one small object, so the time is the store's latency, not its bandwidth.
     */
    public Map<Ticker, Bar> lastBars(List<Ticker> symbols) {
        Map<Ticker, Bar> last = new ConcurrentHashMap<>();
        Concurrently.forEach(symbols, Concurrently.STORE_CALLS, symbol -> {
            List<BronzeRow> rows = read(symbol);
            if (!rows.isEmpty()) {
                last.put(symbol, rows.getLast().bar());
            }
        });
        return new TreeMap<>(last);
    }

    /** A symbol's file at a glance: its first and last bar, how many, and its provenance. */
    public record Summary(Ticker symbol, LocalDate first, LocalDate last, int bars, Provenance provenance) {
    }

    /**
     * The summary of each symbol's file (symbols without a file, or without bars and provenance, are left out), read
     * concurrently as {@link #lastBars} reads them.
     */
    public Map<Ticker, Summary> summaries(List<Ticker> symbols, TradingCalendar calendar) {
        Map<Ticker, Summary> out = new ConcurrentHashMap<>();
        Concurrently.forEach(symbols, Concurrently.STORE_CALLS, symbol -> {
            BronzeFile file = readFile(symbol);
            Provenance.of(file, calendar, key(symbol)).ifPresent(p -> out.put(symbol, new Summary(symbol,
                    file.rows().isEmpty() ? null : file.rows().getFirst().bar().date(),
                    file.rows().isEmpty() ? null : file.rows().getLast().bar().date(), file.rows().size(), p)));
        });
        return new TreeMap<>(out);
    }

    public List<BronzeRow> read(Ticker symbol) {
        return readFile(symbol).rows();
    }

    /** The symbol's rows and footer metadata; none when it has no file. */
    public BronzeFile readFile(Ticker symbol) {
        String key = key(symbol);
        return store.get(key).map(bytes -> BronzeParquet.readFile(bytes, key)).orElse(BronzeFile.EMPTY);
    }

    /** Merges the rows into the symbol's file and writes it only when something changed. */
    public BronzeMerge.Result merge(Ticker symbol, List<BronzeRow> incoming) {
        return merge(symbol, incoming, Map.of());
    }

    /**
     * Merges the rows and the footer metadata entries into the symbol's file and writes it only when something
     * changed: merging the same bars and metadata again writes nothing.
     */
    public BronzeMerge.Result merge(Ticker symbol, List<BronzeRow> incoming, Map<String, String> metadata) {
        return merge(symbol, readFile(symbol), incoming, metadata);
    }

    /** As {@link #merge(Ticker, List, Map)} into {@code stored}, the symbol's file as the caller just read it. */
    public BronzeMerge.Result merge(Ticker symbol, BronzeFile stored, List<BronzeRow> incoming, Map<String, String> metadata) {
        requireSymbol(symbol, incoming);
        return write(symbol, BronzeMerge.merge(stored, incoming, metadata));
    }

    /**
     * The rows become the symbol's whole file ({@code stored}, as the caller just read it), with this metadata; written
     * only when something changed.
     */
    public BronzeMerge.Result replace(Ticker symbol, BronzeFile stored, List<BronzeRow> incoming, Map<String, String> metadata) {
        requireSymbol(symbol, incoming);
        return write(symbol, BronzeMerge.replace(stored, incoming, metadata));
    }

    /** Removes the symbol's file (its history moved under another ticker); a missing file is not an error. */
    public void delete(Ticker symbol) {
        store.delete(key(symbol));
    }

    private BronzeMerge.Result write(Ticker symbol, BronzeMerge.Result result) {
        if (result.changed()) {
            store.put(key(symbol), BronzeParquet.write(result.rows(), result.metadata()));
        }
        return result;
    }

    private static void requireSymbol(Ticker symbol, List<BronzeRow> incoming) {
        requireSymbol(symbol, incoming.stream().map(BronzeRow::bar));
    }

    /** Every bar is the file's symbol's. */
    static void requireSymbol(Ticker symbol, Stream<? extends Ohlcv> bars) {
        bars.filter(bar -> !bar.symbol().equals(symbol)).findFirst().ifPresent(bar -> {
            throw new InvalidInputException("symbol",
                    "a " + bar.symbol() + " bar cannot be merged into the bronze file of " + symbol);
        });
    }
}
