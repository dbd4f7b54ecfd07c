package dev.pricelake.core.bronze;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.parquet.Column;
import dev.pricelake.core.parquet.Column.Kind;
import dev.pricelake.core.parquet.ParquetColumnWriter;
import dev.pricelake.core.parquet.ParquetColumns;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.parquet.schema.MessageType;

/**
 * The bronze and staging file format: the columns of DESIGN.md, ZSTD-compressed, with the lake's own footer
 * metadata. Files are written to and read from byte arrays; the same rows always give the same bytes. Any
 * writer's file with these columns is read (see {@link ParquetColumns}); extra columns are ignored.
 */
public final class BronzeParquet {
    public static final List<Column> COLUMNS = List.of(
            Column.required("symbol", Kind.STRING),
            Column.required("date", Kind.DATE),
            Column.required("open", Kind.DOUBLE),
            Column.required("high", Kind.DOUBLE),
            Column.required("low", Kind.DOUBLE),
            Column.required("close", Kind.DOUBLE),
            Column.required("volume", Kind.DOUBLE),
            Column.optional("vwap", Kind.DOUBLE),
            Column.optional("transactions", Kind.LONG),
            Column.required("ingested_at", Kind.TIMESTAMP));
    public static final MessageType SCHEMA = Column.schema("raw_ohlcv", COLUMNS);
    /** Written into every file by this codec; not part of a file's {@link BronzeFile#metadata()}. */
    static final String FORMAT_KEY = "pricelake.format";
    private static final String FORMAT = "bronze/1";

    private BronzeParquet() {
    }

    public static byte[] write(List<BronzeRow> rows) {
        return write(rows, Map.of());
    }

    /** Writes the rows with the lake's footer metadata (keys under {@code pricelake.}). */
    public static byte[] write(List<BronzeRow> rows, Map<String, String> metadata) {
        Map<String, String> footer = new TreeMap<>(BronzeFile.checked(metadata));
        footer.put(FORMAT_KEY, FORMAT);
        // A symbol file holds one symbol: a dictionary makes that column a few bytes. Prices are distinct
        // doubles, where a dictionary would only be tried and thrown away.
        return ParquetColumnWriter.write(SCHEMA.getName(), COLUMNS, Set.of("symbol"), footer, rows.size(), (i, out) -> {
            BronzeRow row = rows.get(i);
            Bar bar = row.bar();
            out.put(0, bar.symbol().value());
            out.put(1, (int) bar.date().toEpochDay());
            out.put(2, bar.open());
            out.put(3, bar.high());
            out.put(4, bar.low());
            out.put(5, bar.close());
            out.put(6, bar.volume());
            if (bar.vwap() == null) {
                out.putNull(7);
            } else {
                out.put(7, bar.vwap());
            }
            if (bar.transactions() == null) {
                out.putNull(8);
            } else {
                out.put(8, bar.transactions());
            }
            out.put(9, toMicros(row.ingestedAt()));
        });
    }

    /** Reads every row; {@code source} names the file in any error. */
    public static List<BronzeRow> read(byte[] data, String source) {
        return readFile(data, source).rows();
    }

    /** Reads every row and the lake's footer metadata; {@code source} names the file in any error. */
    public static BronzeFile readFile(byte[] data, String source) {
        ParquetColumns f = ParquetColumns.read(data, source, COLUMNS);
        String[] symbol = f.strings("symbol");
        int[] date = f.ints("date");
        double[] open = f.doubles("open");
        double[] high = f.doubles("high");
        double[] low = f.doubles("low");
        double[] close = f.doubles("close");
        double[] volume = f.doubles("volume");
        double[] vwap = f.doubles("vwap");
        long[] transactions = f.longs("transactions");
        long[] ingested = f.longs("ingested_at");
        Map<String, Ticker> tickers = new HashMap<>();
        List<BronzeRow> rows = new ArrayList<>(f.rows());
        for (int i = 0; i < f.rows(); i++) {
            Ticker ticker = tickers.get(symbol[i]);
            if (ticker == null) {
                ticker = ticker(symbol[i], source);
                tickers.put(symbol[i], ticker);
            }
            Bar bar = new Bar(ticker, LocalDate.ofEpochDay(date[i]), open[i], high[i], low[i], close[i], volume[i],
                    f.isNull("vwap", i) ? null : vwap[i], f.isNull("transactions", i) ? null : transactions[i]);
            rows.add(new BronzeRow(bar, fromMicros(ingested[i])));
        }
        return new BronzeFile(rows, lakeMetadata(f.keyValueMetadata()));
    }

    private static Ticker ticker(String symbol, String source) {
        try {
            return Ticker.of(symbol);
        } catch (RuntimeException e) {
            throw new MalformedDataException(source, "column 'symbol' holds '" + symbol + "', which is not a stock symbol", e);
        }
    }

    /** The footer's keys under {@code pricelake.} but the format: another writer's keys do not survive a rewrite. */
    private static Map<String, String> lakeMetadata(Map<String, String> footer) {
        Map<String, String> lake = new HashMap<>();
        footer.forEach((k, v) -> {
            if (k.startsWith(BronzeFile.KEY_PREFIX) && !k.equals(FORMAT_KEY)) {
                lake.put(k, v);
            }
        });
        return lake;
    }

    public static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
