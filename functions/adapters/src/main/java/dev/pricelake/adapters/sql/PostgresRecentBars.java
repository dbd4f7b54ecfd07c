package dev.pricelake.adapters.sql;

import dev.pricelake.core.Bar;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MentionsSource;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link RecentBarsStore} and {@link MentionsSource} on PostgreSQL, through JDBC or the RDS Data API. */
public final class PostgresRecentBars implements RecentBarsStore, MentionsSource {
    private static final Sql.BulkUpsert UPSERT = OhlcvRows.unchangedStays("raw_ohlcv", "date", "updated_at");
    private static final Sql.BulkUpsert ARCHIVE_UPSERT = OhlcvRows.unchangedStays("raw_ohlcv_archive", "date", "updated_at");
    private static final String ARCHIVE_CONFLICT = " ON CONFLICT (symbol, date) DO UPDATE SET open = EXCLUDED.open,"
            + " high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume,"
            + " vwap = EXCLUDED.vwap, transactions = EXCLUDED.transactions, updated_at = EXCLUDED.updated_at";
    private static final String PARTITIONS = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            + " WHERE i.inhparent = ?::regclass";

    /** Symbols whose spans one query probes: at most some 175 KB of text, far inside the Data API's 4 MiB. */
    static final int SPANS_PER_PROBE = 5_000;
    private final Sql sql;

    public PostgresRecentBars(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Counts write(List<Bar> bars, RetentionWindow window, Instant updatedAt) {
        if (bars.isEmpty()) {
            // WriteRecent calls this for every ticker of a batch: one without bars costs no round trip.
            return new Counts(0, 0);
        }
        List<Bar> inside = new ArrayList<>();
        List<Bar> older = new ArrayList<>();
        bars.forEach(b -> (window.contains(b.date()) ? inside : older).add(b));
        ensureYearPartitions(sql, inside, "raw_ohlcv");
        ensureYearPartitions(sql, older, "raw_ohlcv_archive");
        return sql.inTransaction(tx -> {
            if (!inside.isEmpty()) {
                tx.bulkUpsert(UPSERT, rows(inside, updatedAt));
                deleteSpans(tx, ARCHIVE_UPSERT, inside);
            }
            if (!older.isEmpty()) {
                tx.bulkUpsert(ARCHIVE_UPSERT, rows(older, updatedAt));
                deleteSpans(tx, UPSERT, older);
            }
            return new Counts(inside.size(), older.size());
        });
    }

    @Override
    public Counts replace(Ticker symbol, List<Ticker> retired, List<Bar> bars, RetentionWindow window, Instant updatedAt) {
        List<Bar> inside = new ArrayList<>();
        List<Bar> older = new ArrayList<>();
        bars.forEach(b -> (window.contains(b.date()) ? inside : older).add(b));
        ensureYearPartitions(sql, inside, "raw_ohlcv");
        ensureYearPartitions(sql, older, "raw_ohlcv_archive");
        List<Ticker> symbols = new ArrayList<>(retired);
        symbols.add(symbol);
        return sql.inTransaction(tx -> {
            for (Ticker t : symbols) {
                tx.update("DELETE FROM raw_ohlcv WHERE symbol = ?", List.of(t.value()));
                tx.update("DELETE FROM raw_ohlcv_archive WHERE symbol = ?", List.of(t.value()));
            }
            if (!inside.isEmpty()) {
                tx.bulkUpsert(UPSERT, rows(inside, updatedAt));
            }
            if (!older.isEmpty()) {
                tx.bulkUpsert(ARCHIVE_UPSERT, rows(older, updatedAt));
            }
            return new Counts(inside.size(), older.size());
        });
    }

    /**
     * Each symbol's rows in the table between its first and last date among the bars. One query finds the symbols the
     * table holds anything for inside their span (usually none, the other table holding other years), and their deletes
     * go as one batch. A statement per symbol took a round trip each, 0.3 s of a million-bar write of 1,000 symbols
     * (README, PostgreSQL); one DELETE joined with the spans was planned as a hash join over the whole table.
     */
    private static void deleteSpans(Sql tx, Sql.BulkUpsert target, List<Bar> bars) {
        Map<String, LocalDate[]> spans = new TreeMap<>();
        for (Bar b : bars) {
            LocalDate[] span = spans.computeIfAbsent(b.symbol().value(), s -> new LocalDate[] {b.date(), b.date()});
            span[0] = b.date().isBefore(span[0]) ? b.date() : span[0];
            span[1] = b.date().isAfter(span[1]) ? b.date() : span[1];
        }
        List<String> symbols = new ArrayList<>(spans.keySet());
        List<List<?>> held = new ArrayList<>();
        for (int from = 0; from < symbols.size(); from += SPANS_PER_PROBE) {
            List<String> part = symbols.subList(from, Math.min(from + SPANS_PER_PROBE, symbols.size()));
            tx.query(target.heldInSpans("date"), List.of(
                    String.join(",", part),
                    String.join(",", part.stream().map(symbol -> spans.get(symbol)[0].toString()).toList()),
                    String.join(",", part.stream().map(symbol -> spans.get(symbol)[1].toString()).toList())))
                    .forEach(row -> {
                        LocalDate[] span = spans.get((String) row.getFirst());
                        held.add(List.of(row.getFirst(), span[0], span[1]));
                    });
        }
        if (!held.isEmpty()) {
            tx.batch("DELETE FROM " + target.table() + " WHERE symbol = ? AND date BETWEEN ? AND ?", held);
        }
    }

    private static List<List<?>> rows(List<Bar> bars, Instant updatedAt) {
        return OhlcvRows.rows(bars, b -> b, Bar::date, b -> updatedAt);
    }

    @Override
    public RetentionResult moveOlderThan(LocalDate cutoff) {
        return sql.inTransaction(tx -> {
            Set<Integer> recent = years(tx, "raw_ohlcv", "raw_ohlcv_");
            Set<Integer> archived = years(tx, "raw_ohlcv_archive", "raw_ohlcv_archive_");
            List<Integer> wholeYears = new ArrayList<>();
            long moved = 0;
            for (int year : recent) {
                long rows = LocalDate.of(year + 1, 1, 1).isAfter(cutoff) ? 0 : count(tx, "raw_ohlcv_" + year);
                // Empty years (the calendar's partitions made in advance) stay where they are: nothing to move.
                if (rows > 0) {
                    moved += rows;
                    tx.update("ALTER TABLE raw_ohlcv DETACH PARTITION raw_ohlcv_" + year, List.of());
                    if (archived.contains(year)) {
                        // The archive already holds part of this year (it was once the boundary year): copy in.
                        tx.update("INSERT INTO raw_ohlcv_archive SELECT * FROM raw_ohlcv_" + year + ARCHIVE_CONFLICT, List.of());
                        tx.update("DROP TABLE raw_ohlcv_" + year, List.of());
                    } else {
                        tx.update("ALTER TABLE raw_ohlcv_" + year + " RENAME TO raw_ohlcv_archive_" + year, List.of());
                        tx.update("ALTER TABLE raw_ohlcv_archive ATTACH PARTITION raw_ohlcv_archive_" + year + bounds(year),
                                List.of());
                    }
                    wholeYears.add(year);
                }
            }
            long oneByOne = 0;
            LocalDate yearStart = cutoff.withDayOfYear(1);
            if (recent.contains(cutoff.getYear()) && cutoff.isAfter(yearStart)) {
                if (!archived.contains(cutoff.getYear())) {
                    tx.update("CREATE TABLE raw_ohlcv_archive_" + cutoff.getYear() + " PARTITION OF raw_ohlcv_archive"
                            + bounds(cutoff.getYear()), List.of());
                }
                oneByOne = tx.update("WITH moved AS (DELETE FROM raw_ohlcv WHERE date >= ? AND date < ? RETURNING *)"
                        + " INSERT INTO raw_ohlcv_archive SELECT * FROM moved" + ARCHIVE_CONFLICT, List.of(yearStart, cutoff));
            }
            return new RetentionResult(cutoff, moved + oneByOne, wholeYears, oneByOne);
        });
    }

    @Override
    public List<Bar> bars(Ticker symbol, LocalDate from) {
        List<Bar> out = new ArrayList<>();
        for (List<Object> row : sql.query("SELECT date, open, high, low, close, volume, vwap, transactions FROM raw_ohlcv"
                + " WHERE symbol = ? AND date >= ? ORDER BY date", List.of(symbol.value(), from))) {
            out.add(new Bar(symbol, LocalDate.parse((String) row.get(0)), number(row.get(1)), number(row.get(2)),
                    number(row.get(3)), number(row.get(4)), number(row.get(5)),
                    row.get(6) == null ? null : number(row.get(6)),
                    row.get(7) == null ? null : ((Number) row.get(7)).longValue()));
        }
        return out;
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    @Override
    public Counts counts() {
        List<List<Object>> rows = sql.query("SELECT (SELECT count(*) FROM raw_ohlcv), (SELECT count(*) FROM raw_ohlcv_archive)",
                List.of());
        return new Counts((Long) rows.getFirst().get(0), (Long) rows.getFirst().get(1));
    }

    @Override
    public List<Ticker> topMentioned(int count, int minArticles) {
        List<Ticker> out = new ArrayList<>(count);
        for (List<Object> row : sql.query("SELECT ticker FROM article_tickers GROUP BY ticker"
                + " HAVING count(DISTINCT article_id) >= ? ORDER BY count(DISTINCT article_id) DESC, ticker LIMIT ?",
                List.of(minArticles, count))) {
            String symbol = (String) row.getFirst();
            try {
                out.add(Ticker.of(symbol));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("article_tickers.ticker", "'" + symbol + "' is not a Polygon stock symbol;"
                        + " correct or delete those rows");
            }
        }
        return out;
    }

    /** Loads mention rows (article_id, ticker, published_at or Null.TIMESTAMP); a row already present stays as it is. */
    public long loadMentions(List<List<?>> rows) {
        return rows.isEmpty() ? 0 : sql.batch("INSERT INTO article_tickers (article_id, ticker, published_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (article_id, ticker) DO NOTHING", rows);
    }

    /**
     * Years retention moved out have no raw_ohlcv partition any more, and the archive has a partition only for
     * years something was moved or written to it: a bar of a year without one gets it instead of failing.
     */
    private static void ensureYearPartitions(Sql sql, List<Bar> bars, String table) {
        Set<Integer> needed = new TreeSet<>();
        bars.forEach(b -> needed.add(b.date().getYear()));
        if (needed.isEmpty()) {
            return;
        }
        needed.removeAll(years(sql, table, table + "_"));
        for (int year : needed) {
            try {
                sql.update("CREATE TABLE IF NOT EXISTS " + table + "_" + year + " PARTITION OF " + table + bounds(year), List.of());
            } catch (StoreException raced) {
                if (!years(sql, table, table + "_").contains(year)) {
                    throw raced;
                }
            }
        }
    }

    private static String bounds(int year) {
        return " FOR VALUES FROM ('" + year + "-01-01') TO ('" + (year + 1) + "-01-01')";
    }

    private static long count(Sql tx, String table) {
        return (Long) tx.query("SELECT count(*) FROM " + table, List.of()).getFirst().getFirst();
    }

    private static Set<Integer> years(Sql tx, String parent, String prefix) {
        Set<Integer> years = new TreeSet<>();
        for (List<Object> row : tx.query(PARTITIONS, List.of(parent))) {
            String name = (String) row.getFirst();
            if (name.startsWith(prefix) && name.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
                years.add(Integer.parseInt(name.substring(prefix.length())));
            }
        }
        return years;
    }
}
