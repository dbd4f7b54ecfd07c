package dev.pricelake.local.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.AtomicFiles;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.local.runner.LocalDuckDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the console shows of the lake: coverage (symbols x months, from the bronze files, with DuckDB), one symbol's
 * daily or k-session bars, and its reference rows from PostgreSQL, when those tables exist.
 */
final class LakeViews {
    static final List<Integer> INTERVALS = List.of(3, 5, 8, 13, 21, 34);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    /**
     * Reference tables a symbol page shows when they exist: its metadata, its corporate actions (under every ticker
     * it traded as) and those tickers.
     */
    private static final List<String> REFERENCE_TABLES = List.of("symbols", "splits", "dividends", "symbols_history");

    private final Path bucket;
    private final Sql sql;
    private final Path coverageFile;
    private final AtomicBoolean computing = new AtomicBoolean();
    /** The latest coverage computed, with the state of the lake it was computed from; null before the first. */
    private volatile Computed coverage;

    /** A coverage and what it was computed from: the bronze files' latest write and count, the latest verify report. */
    record Computed(String stamp, Instant computedAt, JsonNode coverage) {
    }

    /**
     * @param coverageFile where the latest coverage is kept between runs of serve, so the lake page is at once there
     */
    LakeViews(Path bucket, Sql sql, Path coverageFile) {
        this.bucket = bucket;
        this.sql = sql;
        this.coverageFile = coverageFile;
        try {
            if (Files.isRegularFile(coverageFile)) {
                JsonNode kept = JSON.readTree(coverageFile.toFile());
                coverage = new Computed(kept.path("stamp").asText(), Instant.parse(kept.path("computed_at").asText()),
                        kept.path("coverage"));
            }
        } catch (IOException | RuntimeException unreadable) {
            // Computed again, as if never kept.
        }
    }

    /**
     * What the lake page shows at once: the latest coverage computed (kept on disk, so also from before a restart),
     * marked {@code stale} while the lake has changed since and a newer one is computed in the background;
     * {@code computing} with no rows when none was ever computed for this lake. Computing reads every bronze file
     * (20 s for 5,000 symbols of 5 years on a busy 2-core machine): no request waits for it.
     */
    JsonNode coverage() {
        String stamp = stamp();
        Computed kept = coverage;
        boolean current = kept != null && kept.stamp().equals(stamp);
        if (!current) {
            refreshCoverage();
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("computing", kept == null);
        out.put("stale", !current);
        if (kept != null) {
            out.put("computed_at", kept.computedAt().toString());
            out.set("months", kept.coverage().path("months"));
            out.set("rows", kept.coverage().path("rows"));
        } else {
            out.putArray("months");
            out.putArray("rows");
        }
        return out;
    }

    /** Computes the coverage in the background unless that is under way; the result is kept on disk. */
    void refreshCoverage() {
        if (!computing.compareAndSet(false, true)) {
            return;
        }
        // A platform thread: DuckDB's native query would pin a virtual thread's carrier for its whole 10-20 s.
        Thread.ofPlatform().daemon().name("coverage").start(() -> {
            try {
                String stamp = stamp();
                Computed computed = new Computed(stamp, Instant.now(), computeCoverage());
                coverage = computed;
                keep(computed);
            } catch (RuntimeException e) {
                System.err.println("pricelake serve: the lake's coverage could not be computed: " + e.getMessage());
            } finally {
                computing.set(false);
            }
        });
    }

    private void keep(Computed computed) {
        try {
            Files.createDirectories(coverageFile.getParent());
            ObjectNode kept = JSON.createObjectNode();
            kept.put("stamp", computed.stamp());
            kept.put("computed_at", computed.computedAt().toString());
            kept.set("coverage", computed.coverage());
            AtomicFiles.write(coverageFile, temp -> JSON.writeValue(temp.toFile(), kept));
        } catch (IOException e) {
            System.err.println("pricelake serve: the lake's coverage could not be kept in " + coverageFile + ": " + e.getMessage());
        }
    }

    /** The lake's state the coverage depends on: the bronze files' latest write and count, the latest verify report. */
    private String stamp() {
        return bronzeStamp() + "/" + latestVerifyReport().map(p -> p.getFileName().toString()).orElse("");
    }

    /**
     * Each symbol's months as one character a month from the first month of the lake: '#' every session has a bar,
     * 'g' some are missing (a gap), '.' outside the symbol's first and last bar; 'd' marks a symbol the latest
     * verify report found defects in.
     */
    private JsonNode computeCoverage() {
        Map<String, Map<YearMonth, Long>> counts = new TreeMap<>();
        Map<String, LocalDate[]> spans = new TreeMap<>();
        if (bronzeStamp() > 0) {
            try (LocalDuckDb duck = LocalDuckDb.open(bucket); Statement s = duck.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT symbol, year(date), month(date), count(*), min(date), max(date)"
                         + " FROM bronze GROUP BY ALL")) {
                while (rs.next()) {
                    String symbol = rs.getString(1);
                    counts.computeIfAbsent(symbol, k -> new TreeMap<>()).put(YearMonth.of(rs.getInt(2), rs.getInt(3)), rs.getLong(4));
                    LocalDate first = rs.getObject(5, LocalDate.class);
                    LocalDate last = rs.getObject(6, LocalDate.class);
                    spans.merge(symbol, new LocalDate[] {first, last}, (a, b) -> new LocalDate[] {
                            a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
                }
            } catch (SQLException | IOException e) {
                throw new IllegalStateException("reading the lake's coverage with DuckDB: " + e.getMessage(), e);
            }
        }
        Set<String> defective = defectiveSymbols();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode months = out.putArray("months");
        ArrayNode rows = out.putArray("rows");
        TreeSet<YearMonth> all = counts.values().stream().flatMap(m -> m.keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        if (!all.isEmpty()) {
            List<YearMonth> range = new ArrayList<>();
            for (YearMonth m = all.first(); !m.isAfter(all.last()); m = m.plusMonths(1)) {
                range.add(m);
                months.add(m.toString());
            }
            counts.forEach((symbol, byMonth) -> {
                LocalDate[] span = spans.get(symbol);
                StringBuilder cells = new StringBuilder();
                long bars = 0;
                int gaps = 0;
                for (YearMonth m : range) {
                    LocalDate from = max(m.atDay(1), span[0]);
                    LocalDate to = min(m.atEndOfMonth(), span[1]);
                    if (from.isAfter(to)) {
                        cells.append('.');
                        continue;
                    }
                    long expected = CALENDAR.sessions(new DateRange(from, to)).size();
                    long have = byMonth.getOrDefault(m, 0L);
                    bars += have;
                    boolean gap = have < expected;
                    gaps += gap ? 1 : 0;
                    cells.append(gap ? 'g' : '#');
                }
                ObjectNode row = rows.addObject();
                row.put("symbol", symbol);
                row.put("cells", cells.toString());
                row.put("bars", bars);
                row.put("first", span[0].toString());
                row.put("last", span[1].toString());
                row.put("gap_months", gaps);
                row.put("defects", defective.contains(symbol));
            });
        }
        return out;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    /** The latest bronze write, so coverage is computed again only after the lake changed; 0 with no bronze. */
    private long bronzeStamp() {
        Path root = bucket.resolve("bronze/raw_ohlcv");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            long latest = 0;
            long count = 0;
            for (Path dir : dirs.toList()) {
                Path file = dir.resolve("data.parquet");
                if (Files.isRegularFile(file)) {
                    latest = Math.max(latest, Files.getLastModifiedTime(file).toMillis());
                    count++;
                }
            }
            return count == 0 ? 0 : latest * 31 + count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest verify report's folder (reports/verify/STAMP/, holding report.json), if any. */
    private Optional<Path> latestVerifyReport() {
        Path reports = bucket.resolve("reports/verify");
        if (!Files.isDirectory(reports)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(reports)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("report.json"))).max(Path::compareTo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The symbols the latest verify report found defects in. */
    private Set<String> defectiveSymbols() {
        try {
            Path latest = latestVerifyReport().orElse(null);
            if (latest == null) {
                return Set.of();
            }
            Set<String> out = new TreeSet<>();
            JSON.readTree(latest.resolve("report.json").toFile()).path("symbols").forEach(s -> {
                if (s.path("defects").asLong() > 0) {
                    out.add(s.path("symbol").asText());
                }
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads what a symbol page's first request would otherwise wait for (DuckDB's native library, the Parquet
     * reader, the JDBC driver), by reading one symbol's bars and reference rows.
     */
    void warmReaders() {
        Path root = bucket.resolve("bronze/raw_ohlcv");
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            Optional<String> symbol = dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("symbol=")).findFirst();
            if (symbol.isPresent()) {
                Ticker ticker = Ticker.of(symbol.get().substring("symbol=".length()));
                bars(ticker, 1);
                bars(ticker, INTERVALS.getFirst());
                reference(ticker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Daily bars (interval 1, from the symbol's bronze file) or k-session bars (from silver, with DuckDB). */
    JsonNode bars(Ticker symbol, int interval) {
        ObjectNode out = JSON.createObjectNode();
        out.put("symbol", symbol.value());
        out.put("interval", interval);
        ArrayNode bars = out.putArray("bars");
        if (interval == 1) {
            Path file = bucket.resolve("bronze/raw_ohlcv/symbol=" + symbol.value() + "/data.parquet");
            if (!Files.isRegularFile(file)) {
                throw new ApiError("NotFound", "no bars for " + symbol.value() + " in the lake");
            }
            try {
                BronzeFile bronze = BronzeParquet.readFile(Files.readAllBytes(file), file.toString());
                for (BronzeRow row : bronze.rows()) {
                    var b = row.bar();
                    bar(bars, b.date().toString(), b.open(), b.high(), b.low(), b.close(), b.volume());
                }
                // How the file's prices are adjusted, what the source was asked about, the tickers it traded as.
                ObjectNode footer = out.putObject("bronze_metadata");
                bronze.metadata().forEach(footer::put);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }
        if (!INTERVALS.contains(interval)) {
            throw new ApiError("BadRequest", "interval must be 1 (daily) or one of " + INTERVALS);
        }
        try (LocalDuckDb duck = LocalDuckDb.open(bucket)) {
            String view = "silver_" + interval + "d";
            if (!duck.views().contains(view)) {
                return out;
            }
            try (PreparedStatement s = duck.connection().prepareStatement("SELECT start_date, open, high, low, close, volume"
                    + " FROM " + view + " WHERE symbol = ? ORDER BY start_date")) {
                s.setString(1, symbol.value());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        bar(bars, rs.getObject(1, LocalDate.class).toString(), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                                rs.getDouble(5), rs.getDouble(6));
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading silver_" + interval + "d with DuckDB: " + e.getMessage(), e);
        }
        return out;
    }

    /** Each of the tables' columns in order; a table that does not exist has none. */
    private static Map<String, List<String>> columns(Sql sql, List<String> tables) {
        Map<String, List<String>> out = new TreeMap<>();
        tables.forEach(t -> out.put(t, new ArrayList<>()));
        sql.query("SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name IN (" + tables.stream().map(t -> "?").collect(Collectors.joining(", ")) + ")"
                + " ORDER BY table_name, ordinal_position", tables)
                .forEach(r -> out.get((String) r.get(0)).add((String) r.get(1)));
        return out;
    }

    private static void bar(ArrayNode bars, String time, double open, double high, double low, double close, double volume) {
        ObjectNode b = bars.addObject();
        b.put("time", time);
        b.put("open", open);
        b.put("high", high);
        b.put("low", low);
        b.put("close", close);
        b.put("volume", volume);
    }

    /**
     * The symbol's rows of each reference table that exists, whatever their columns, as text: a table that is not
     * there (a PostgreSQL from before a migration) is left out, not an error. Splits and dividends are recorded under
     * the ticker of their day, so a renamed symbol's page shows those of every ticker it traded as.
     */
    JsonNode reference(Ticker symbol) {
        // One connection for the page's queries: the local PostgreSQL's data source opens one per statement.
        return sql.inTransaction(tx -> reference(tx, symbol));
    }

    private static JsonNode reference(Sql sql, Ticker symbol) {
        ObjectNode out = JSON.createObjectNode();
        Map<String, List<String>> tableColumns = columns(sql, REFERENCE_TABLES);
        boolean history = !tableColumns.get("symbols_history").isEmpty();
        for (String table : REFERENCE_TABLES) {
            List<String> columns = tableColumns.get(table);
            String key = columns.contains("symbol") ? "symbol" : columns.contains("ticker") ? "ticker" : null;
            if (key == null) {
                continue;
            }
            String select = columns.stream().map(c -> "\"" + c + "\"::text").collect(Collectors.joining(", "));
            boolean tradedAs = key.equals("ticker") && !table.equals("symbols") && history;
            String where = tradedAs ? "ticker = ? OR ticker IN (SELECT ticker FROM symbols_history WHERE symbol = ?)" : key + " = ?";
            String order = " ORDER BY " + columns.stream().filter(c -> c.endsWith("date") || c.equals("valid_from")).findFirst()
                    .map(c -> "\"" + c + "\"").orElse("1");
            List<List<Object>> rows = sql.query("SELECT " + select + " FROM " + table + " WHERE " + where + order + " LIMIT 500",
                    tradedAs ? List.of(symbol.value(), symbol.value()) : List.of(symbol.value()));
            ArrayNode list = out.putArray(table);
            for (List<Object> row : rows) {
                ObjectNode o = list.addObject();
                for (int i = 0; i < columns.size(); i++) {
                    o.put(columns.get(i), row.get(i) == null ? null : row.get(i).toString());
                }
            }
        }
        return out;
    }
}
