package dev.pricelake.core.bronze;

import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-minute bronze: a Parquet file per symbol and month under
 * {@code bronze/raw_ohlcv_1m/symbol=X/year=YYYY/month=MM/data.parquet}, one row per (symbol, ts), sorted by ts. The
 * month is the session's in New York, so a session's minutes (after-hours ones past midnight UTC included) share a file.
 * A merge writes a month's file only when its rows or footer change, so merging the same minutes again writes nothing.
 */
public final class MinuteBronzeLake {
    public static final String PREFIX = "bronze/raw_ohlcv_1m/";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Pattern KEY = Pattern.compile("symbol=([^/]+)/year=(\\d{4})/month=(\\d{2})/data\\.parquet");
    private final ObjectStore store;

    public MinuteBronzeLake(ObjectStore store) {
        this.store = store;
    }

    public static String key(Ticker symbol, YearMonth month) {
        return PREFIX + "symbol=" + symbol.value() + "/year=" + month.getYear() + "/month="
                + String.format("%02d", month.getMonthValue()) + "/data.parquet";
    }

    /** The New York month a minute's session belongs to: the month of the file it is kept in. */
    public static YearMonth monthOf(MinuteRow row) {
        return YearMonth.from(row.bar().start().atZone(NEW_YORK));
    }

    /** Every symbol with minute files, and the months it has a file for, oldest first; the files are not read. */
    public SortedMap<Ticker, List<YearMonth>> files() {
        SortedMap<Ticker, List<YearMonth>> files = new TreeMap<>();
        for (String key : store.list(PREFIX)) {
            Matcher m = KEY.matcher(key.substring(PREFIX.length()));
            if (m.matches()) {
                files.computeIfAbsent(Ticker.of(m.group(1)), s -> new ArrayList<>())
                        .add(YearMonth.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
            }
        }
        files.values().forEach(months -> months.sort(null));
        return files;
    }

    /**
     * Each symbol's last session with a stored minute (its New York date): only the symbol's latest month file is
     * read, since the files are per month. A symbol whose latest file holds no row is left out.
     */
    public SortedMap<Ticker, LocalDate> lastSessions() {
        SortedMap<Ticker, LocalDate> last = new TreeMap<>();
        files().forEach((symbol, months) -> {
            readFile(symbol, months.getLast()).rows().stream().map(row -> row.bar().start()).max(Instant::compareTo)
                    .ifPresent(start -> last.put(symbol, start.atZone(NEW_YORK).toLocalDate()));
        });
        return last;
    }

    /** The symbol's minutes of one month, with the file's footer metadata; none when it has no file. */
    public MinuteFile readFile(Ticker symbol, YearMonth month) {
        String key = key(symbol, month);
        return store.get(key).map(bytes -> BronzeParquet.readMinutes(bytes, key)).orElse(MinuteFile.EMPTY);
    }

    /** The symbol's minutes from {@code first} to {@code last} (months, inclusive), oldest first. */
    public List<MinuteRow> read(Ticker symbol, YearMonth first, YearMonth last) {
        List<MinuteRow> rows = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            rows.addAll(readFile(symbol, month).rows());
        }
        return rows;
    }

    /** What a merge did: month files written, rows added, rows whose bar changed, rows already there. */
    public record Written(int files, long inserted, long updated, long unchanged) {
    }

    /** Merges the minutes, and the footer metadata entries, into the symbol's month files. */
    public Written merge(Ticker symbol, List<MinuteRow> incoming, Map<String, String> metadata) {
        BronzeLake.requireSymbol(symbol, incoming.stream().map(MinuteRow::bar));
        Map<YearMonth, List<MinuteRow>> byMonth = new TreeMap<>();
        incoming.forEach(row -> byMonth.computeIfAbsent(monthOf(row), m -> new ArrayList<>()).add(row));
        int files = 0;
        long inserted = 0;
        long updated = 0;
        long unchanged = 0;
        for (Map.Entry<YearMonth, List<MinuteRow>> month : byMonth.entrySet()) {
            MinuteFile stored = readFile(symbol, month.getKey());
            BronzeMerge.MinuteResult result = BronzeMerge.mergeMinutes(stored, month.getValue(),
                    footer(stored, metadata, key(symbol, month.getKey())));
            if (result.changed()) {
                store.put(key(symbol, month.getKey()), BronzeParquet.writeMinutes(result.file().rows(), result.file().metadata()));
                files++;
            }
            inserted += result.inserted();
            updated += result.updated();
            unchanged += result.unchanged();
        }
        return new Written(files, inserted, updated, unchanged);
    }

    /**
     * The incoming footer, its adjustment joined with the stored file's as a day file's is: split-adjusted and
     * unadjusted minutes never share a file, and a file is adjusted through the earlier of the two dates.
     */
    private static Map<String, String> footer(MinuteFile stored, Map<String, String> incoming, String key) {
        String before = stored.metadata().get(Adjustment.KEY);
        String after = incoming.get(Adjustment.KEY);
        if (before == null || after == null) {
            return incoming;
        }
        Map<String, String> footer = new TreeMap<>(incoming);
        footer.put(Adjustment.KEY, Adjustment.parse(before, key).with(Adjustment.parse(after, "the fetched minutes"), key).encode());
        return footer;
    }
}
