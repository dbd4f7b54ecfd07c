package dev.pricelake.core.silver;

import dev.pricelake.core.parquet.Column;
import dev.pricelake.core.parquet.Column.Kind;
import dev.pricelake.core.parquet.ParquetColumnWriter;
import dev.pricelake.core.parquet.ParquetColumns;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.schema.MessageType;

/**
 * The silver partition file: symbol, interval_days, start_date, end_date, open, high, low, close, volume,
 * bar_count, complete; all required, ZSTD, rows sorted by (symbol, start_date) so the symbol statistics of
 * each page let engines skip to a symbol. The same rows always give the same bytes.
 */
public final class SilverParquet {
    public static final List<Column> COLUMNS = List.of(
            Column.required("symbol", Kind.STRING),
            Column.required("interval_days", Kind.INT),
            Column.required("start_date", Kind.DATE),
            Column.required("end_date", Kind.DATE),
            Column.required("open", Kind.DOUBLE),
            Column.required("high", Kind.DOUBLE),
            Column.required("low", Kind.DOUBLE),
            Column.required("close", Kind.DOUBLE),
            Column.required("volume", Kind.DOUBLE),
            Column.required("bar_count", Kind.INT),
            Column.required("complete", Kind.BOOLEAN));
    public static final MessageType SCHEMA = Column.schema("silver", COLUMNS);
    /** A partition repeats each symbol for its rows: a dictionary stores it in a few bits a row. */
    private static final Set<String> DICTIONARY = Set.of("symbol");

    private SilverParquet() {
    }

    /** Writes rows {@code from..to} (exclusive) of {@code rows}, all of interval {@code k}. */
    public static byte[] write(SilverRows rows, int from, int to, int k) {
        return ParquetColumnWriter.write(SCHEMA.getName(), COLUMNS, DICTIONARY, Map.of(), to - from, (i, out) -> {
            int r = from + i;
            out.put(0, rows.symbol[r]);
            out.put(1, k);
            out.put(2, rows.startDay[r]);
            out.put(3, rows.endDay[r]);
            out.put(4, rows.open[r]);
            out.put(5, rows.high[r]);
            out.put(6, rows.low[r]);
            out.put(7, rows.close[r]);
            out.put(8, rows.volume[r]);
            out.put(9, rows.barCount[r]);
            out.put(10, rows.complete[r]);
        });
    }

    /** Reads a silver file back (for an incremental run that patches a partition). */
    public static SilverRows read(byte[] data, String source) {
        ParquetColumns f = ParquetColumns.read(data, source, COLUMNS);
        int n = f.rows();
        SilverRows rows = new SilverRows(n);
        String[] symbol = f.strings("symbol");
        int[] start = f.ints("start_date");
        int[] end = f.ints("end_date");
        double[] o = f.doubles("open");
        double[] h = f.doubles("high");
        double[] l = f.doubles("low");
        double[] c = f.doubles("close");
        double[] v = f.doubles("volume");
        int[] count = f.ints("bar_count");
        boolean[] complete = f.booleans("complete");
        for (int i = 0; i < n; i++) {
            rows.add(symbol[i].intern(), start[i], end[i], o[i], h[i], l[i], c[i], v[i], count[i], complete[i]);
        }
        return rows;
    }
}
