package dev.pricelake.adapters.sql;

import dev.pricelake.core.Ohlcv;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
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
        List<String> columns = new ArrayList<>(key);
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
     * The items as rows in the key's order (symbol, then time), each row made when it is read. In key order a series'
     * rows reach each partition's key index together and in the index's order, at its right edge when the partition
     * holds nothing after them (a new table, or the latest symbols), where PostgreSQL appends without a search from the
     * root; in any other order each row lands somewhere else in the index (a million new bars of 1,000 symbols named out
     * of alphabetical order, README, PostgreSQL: the loading process 3.0-4.5 s of CPU unordered, 2.5-2.7 s ordered). Java
     * orders strings by UTF-16 units, the database by its collation; for tickers (capitals, digits, a dot) the two rarely
     * differ, and a row out of the database's order is only slower. A row reads the bar only for the column asked, so
     * the spans read before the COPY box no price, and rows are made as the COPY sends them: a million bars held as
     * boxed rows cost the loader seconds of garbage collection before the first byte went to PostgreSQL.
     */
    static <T, K extends Comparable<? super K>> List<List<?>> rows(List<T> items, Function<T, ? extends Ohlcv> bar,
            Function<T, K> time, Function<T, Instant> stamp) {
        Comparator<T> key = Comparator.<T, String>comparing(i -> bar.apply(i).symbol().value()).thenComparing(time);
        List<T> ordered = inOrder(items, key);
        return new AbstractList<>() {
            @Override
            public List<?> get(int index) {
                T item = ordered.get(index);
                return new Row(bar.apply(item), time.apply(item), stamp.apply(item));
            }

            @Override
            public int size() {
                return ordered.size();
            }
        };
    }

    /** The items themselves when already in order, else an ordered copy. */
    private static <T> List<T> inOrder(List<T> items, Comparator<T> order) {
        for (int i = 1; i < items.size(); i++) {
            if (order.compare(items.get(i - 1), items.get(i)) > 0) {
                List<T> copy = new ArrayList<>(items);
                copy.sort(order);
                return copy;
            }
        }
        return items;
    }

    /** A bar as the upsert's row: symbol, its time (a date or an instant), the values, the stamp. */
    private static final class Row extends AbstractList<Object> {
        private final Ohlcv bar;
        private final Object time;
        private final Instant stamp;

        Row(Ohlcv bar, Object time, Instant stamp) {
            this.bar = bar;
            this.time = time;
            this.stamp = stamp;
        }

        @Override
        public Object get(int column) {
            return switch (column) {
                case 0 -> bar.symbol().value();
                case 1 -> time;
                case 2 -> bar.open();
                case 3 -> bar.high();
                case 4 -> bar.low();
                case 5 -> bar.close();
                case 6 -> bar.volume();
                case 7 -> bar.vwap() == null ? Sql.Null.DOUBLE : bar.vwap();
                case 8 -> bar.transactions() == null ? Sql.Null.BIGINT : bar.transactions();
                case 9 -> stamp;
                default -> throw new IndexOutOfBoundsException(column);
            };
        }

        @Override
        public int size() {
            return 10;
        }
    }
}
