package dev.pricelake.core.bronze;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ohlcv;
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
import java.util.function.IntFunction;
import org.apache.parquet.schema.MessageType;

/**
 * The bronze and staging file format: the columns of DESIGN.md, ZSTD-compressed, with the lake's own footer
 * metadata. Files are written to and read from byte arrays; the same rows always give the same bytes. Any
 * writer's file with these columns is read (see {@link ParquetColumns}); extra columns are ignored.
 */
public final class BronzeParquet {
    public static final List<Column> COLUMNS = columns(Column.required("date", Kind.DATE));
    public static final MessageType SCHEMA = Column.schema("raw_ohlcv", COLUMNS);
    /** One-minute bronze: the day's columns with {@code ts}, the minute's start (UTC), for {@code date}. */
    public static final List<Column> MINUTE_COLUMNS = columns(Column.required("ts", Kind.UTC_WALL_TIMESTAMP));
    public static final MessageType MINUTE_SCHEMA = Column.schema("raw_ohlcv_1m", MINUTE_COLUMNS);
    /** Written into every file by this codec; not part of a file's {@link BronzeFile#metadata()}. */
    static final String FORMAT_KEY = "pricelake.format";
    private static final String FORMAT = "bronze/1";

    private BronzeParquet() {
    }

    /** The bronze columns around the bar's time, which is the second column. */
    private static List<Column> columns(Column time) {
        return List.of(
                Column.required("symbol", Kind.STRING),
                time,
                Column.required("open", Kind.DOUBLE),
                Column.required("high", Kind.DOUBLE),
                Column.required("low", Kind.DOUBLE),
                Column.required("close", Kind.DOUBLE),
                Column.required("volume", Kind.DOUBLE),
                Column.optional("vwap", Kind.DOUBLE),
                Column.optional("transactions", Kind.LONG),
                Column.required("ingested_at", Kind.TIMESTAMP));
    }

    public static byte[] write(List<BronzeRow> rows) {
        return write(rows, Map.of());
    }

    /** Writes the rows with the lake's footer metadata (keys under {@code pricelake.}). */
    public static byte[] write(List<BronzeRow> rows, Map<String, String> metadata) {
        return write(SCHEMA.getName(), COLUMNS, metadata, rows.size(), i -> rows.get(i).bar(), i -> rows.get(i).ingestedAt(),
                (i, out) -> out.put(1, (int) rows.get(i).bar().date().toEpochDay()));
    }

    /** Writes minute rows, in the order given, with the lake's footer metadata. */
    public static byte[] writeMinutes(List<MinuteRow> rows, Map<String, String> metadata) {
        return write(MINUTE_SCHEMA.getName(), MINUTE_COLUMNS, metadata, rows.size(), i -> rows.get(i).bar(),
                i -> rows.get(i).ingestedAt(), (i, out) -> out.put(1, toMicros(rows.get(i).bar().start())));
    }

    private static byte[] write(String name, List<Column> columns, Map<String, String> metadata, int count,
            IntFunction<Ohlcv> bars, IntFunction<Instant> ingestedAt, ParquetColumnWriter.RowSource time) {
        Map<String, String> footer = new TreeMap<>(BronzeFile.checked(metadata));
        footer.put(FORMAT_KEY, FORMAT);
        // A symbol file holds one symbol: a dictionary makes that column a few bytes. Prices are distinct
        // doubles, where a dictionary would only be tried and thrown away.
        return ParquetColumnWriter.write(name, columns, Set.of("symbol"), footer, count, (i, out) -> {
            Ohlcv bar = bars.apply(i);
            out.put(0, bar.symbol().value());
            time.write(i, out);
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
            out.put(9, toMicros(ingestedAt.apply(i)));
        });
    }

    /** Reads every row; {@code source} names the file in any error. */
    public static List<BronzeRow> read(byte[] data, String source) {
        return readFile(data, source).rows();
    }

    /** Reads every row and the lake's footer metadata; {@code source} names the file in any error. */
    public static BronzeFile readFile(byte[] data, String source) {
        ParquetColumns f = ParquetColumns.read(data, source, COLUMNS);
        int[] date = f.ints("date");
        List<BronzeRow> rows = rows(f, source, (i, v) -> new BronzeRow(new Bar(v.symbol(), LocalDate.ofEpochDay(date[i]),
                v.open(), v.high(), v.low(), v.close(), v.volume(), v.vwap(), v.transactions()), v.ingestedAt()));
        return new BronzeFile(rows, lakeMetadata(f.keyValueMetadata()));
    }

    /** Reads a minute file's rows and the lake's footer metadata; {@code source} names the file in any error. */
    public static MinuteFile readMinutes(byte[] data, String source) {
        ParquetColumns f = ParquetColumns.read(data, source, MINUTE_COLUMNS);
        long[] ts = f.longs("ts");
        List<MinuteRow> rows = rows(f, source, (i, v) -> new MinuteRow(new MinuteBar(v.symbol(), fromMicros(ts[i]),
                v.open(), v.high(), v.low(), v.close(), v.volume(), v.vwap(), v.transactions()), v.ingestedAt()));
        return new MinuteFile(rows, lakeMetadata(f.keyValueMetadata()));
    }

    /** A row's columns but its time. */
    private record Values(Ticker symbol, double open, double high, double low, double close, double volume, Double vwap,
                          Long transactions, Instant ingestedAt) {
    }

    private static <R> List<R> rows(ParquetColumns f, String source, java.util.function.BiFunction<Integer, Values, R> row) {
        String[] symbol = f.strings("symbol");
        double[] open = f.doubles("open");
        double[] high = f.doubles("high");
        double[] low = f.doubles("low");
        double[] close = f.doubles("close");
        double[] volume = f.doubles("volume");
        double[] vwap = f.doubles("vwap");
        long[] transactions = f.longs("transactions");
        long[] ingested = f.longs("ingested_at");
        Map<String, Ticker> tickers = new HashMap<>();
        List<R> rows = new ArrayList<>(f.rows());
        for (int i = 0; i < f.rows(); i++) {
            Ticker ticker = tickers.get(symbol[i]);
            if (ticker == null) {
                ticker = ticker(symbol[i], source);
                tickers.put(symbol[i], ticker);
            }
            rows.add(row.apply(i, new Values(ticker, open[i], high[i], low[i], close[i], volume[i],
                    f.isNull("vwap", i) ? null : vwap[i], f.isNull("transactions", i) ? null : transactions[i],
                    fromMicros(ingested[i]))));
        }
        return rows;
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
