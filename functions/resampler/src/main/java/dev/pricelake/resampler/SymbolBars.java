package dev.pricelake.resampler;

import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.core.parquet.Column;
import dev.pricelake.core.parquet.ParquetColumns;
import dev.pricelake.core.silver.Months;
import dev.pricelake.core.silver.Resampling;
import java.util.List;

/** One symbol's bronze bars as columns, with their session indices and per-month digests. */
record SymbolBars(String symbol, int[] days, int[] sessions, double[] open, double[] high, double[] low,
                  double[] close, double[] volume, int n, MonthDigests digests) {
    /** The bronze columns a resample needs. */
    private static final List<Column> COLUMNS = BronzeParquet.COLUMNS.stream()
            .filter(c -> List.of("date", "open", "high", "low", "close", "volume").contains(c.name())).toList();

    static SymbolBars read(ObjectStore lake, Ticker ticker, Resampling resampling) {
        String key = BronzeLake.key(ticker);
        byte[] data = lake.get(key).orElse(null);
        if (data == null) {
            return empty(ticker.value());
        }
        ParquetColumns f = ParquetColumns.read(data, key, COLUMNS);
        int n = f.rows();
        int[] days = f.ints("date");
        double[] o = f.doubles("open");
        double[] h = f.doubles("high");
        double[] l = f.doubles("low");
        double[] c = f.doubles("close");
        double[] v = f.doubles("volume");
        int[] sessions = resampling.sessionIndices(ticker.value(), days, n);
        return new SymbolBars(ticker.value(), days, sessions, o, h, l, c, v, n, MonthDigests.of(days, o, h, l, c, v, n));
    }

    static SymbolBars empty(String symbol) {
        return new SymbolBars(symbol, new int[0], new int[0], new double[0], new double[0], new double[0], new double[0],
                new double[0], 0, MonthDigests.NONE);
    }

    /** The last session index present, or -1 for no bars. */
    int lastSession() {
        return n == 0 ? -1 : sessions[n - 1];
    }

    static int monthOf(int epochDay) {
        return Months.of(epochDay);
    }
}
