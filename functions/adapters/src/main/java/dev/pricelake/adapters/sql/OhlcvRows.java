package dev.pricelake.adapters.sql;

import dev.pricelake.core.Ohlcv;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the bar tables (raw_ohlcv, its archive, ohlcv_minute) share: their columns, their upsert, a bar as a row. */
final class OhlcvRows {
    private static final List<String> VALUES = List.of("open", "high", "low", "close", "volume", "vwap", "transactions");

    private OhlcvRows() {
    }

    /**
     * The bulk upsert by (symbol, {@code time}) that rewrites a row only when a value differs, so the same bars again
     * leave even {@code stamp} (when the row was written) as it was.
     */
    static Sql.BulkUpsert unchangedStays(String table, String time, String stamp) {
        List<String> key = List.of("symbol", time);
        List<String> columns = new java.util.ArrayList<>(key);
        columns.addAll(VALUES);
        columns.add(stamp);
        String set = columns.subList(2, columns.size()).stream().map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        String stored = VALUES.stream().map(c -> table + "." + c).collect(Collectors.joining(", "));
        String excluded = VALUES.stream().map(c -> "EXCLUDED." + c).collect(Collectors.joining(", "));
        return new Sql.BulkUpsert(table, key, columns, "ON CONFLICT (symbol, " + time + ") DO UPDATE SET " + set
                + " WHERE (" + stored + ") IS DISTINCT FROM (" + excluded + ")");
    }

    /**
     * The items as rows, each made when it is read: a million bars held as boxed rows cost the loader seconds of garbage
     * collection before the first byte went to PostgreSQL (README, PostgreSQL benchmark), rows made as the COPY sends
     * them die young.
     */
    static <T> List<List<?>> rows(List<T> items, Function<T, List<?>> row) {
        return new AbstractList<>() {
            @Override
            public List<?> get(int index) {
                return row.apply(items.get(index));
            }

            @Override
            public int size() {
                return items.size();
            }
        };
    }

    /** A bar as the upsert's row: symbol, its time (a date or an instant), the values, the stamp. */
    static List<?> row(Ohlcv bar, Object time, Instant stamp) {
        return List.of(bar.symbol().value(), time, bar.open(), bar.high(), bar.low(), bar.close(), bar.volume(),
                bar.vwap() == null ? Sql.Null.DOUBLE : bar.vwap(),
                bar.transactions() == null ? Sql.Null.BIGINT : bar.transactions(), stamp);
    }
}
