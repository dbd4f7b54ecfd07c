package dev.pricelake.core.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.BarValidator;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinuteBronzeLakeTest {
    private static final Ticker ABC = Ticker.of("ABC");
    private static final Instant INGESTED = Instant.parse("2025-02-10T12:00:00.5Z");
    private static final Instant LATER = Instant.parse("2025-02-11T12:00:00Z");

    private static MinuteRow row(String utc, double close, Instant ingestedAt) {
        return new MinuteRow(new MinuteBar(ABC, Instant.parse(utc), close - 0.1, close + 0.2, close - 0.3, close, 1500.5,
                close, 12L), ingestedAt);
    }

    /** The last regular minute of January, an after-hours minute that is February in UTC but January's session, February's first. */
    private static final List<MinuteRow> MINUTES = List.of(
            row("2025-01-31T20:59:00Z", 10, INGESTED),
            row("2025-02-01T00:59:00Z", 11, INGESTED),
            row("2025-02-03T14:30:00Z", 12, INGESTED));

    private static List<String> files(Path lake) throws Exception {
        try (Stream<Path> walk = Files.walk(lake)) {
            return walk.filter(Files::isRegularFile).map(p -> lake.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void minutesLandInTheirSessionsMonthAndDuckDbReadsTheDesignedColumns(@TempDir Path dir) throws Exception {
        Path lakeDir = dir.resolve("lake");
        MinuteBronzeLake lake = new MinuteBronzeLake(new FileObjectStore(lakeDir));

        MinuteBronzeLake.Written written = lake.merge(ABC, MINUTES, Map.of("pricelake.adjustment", "splits-through:2025-02-03"));

        assertThat(written).isEqualTo(new MinuteBronzeLake.Written(2, 3, 0, 0));
        assertThat(files(lakeDir)).containsExactly(
                "bronze/raw_ohlcv_1m/symbol=ABC/year=2025/month=01/data.parquet",
                "bronze/raw_ohlcv_1m/symbol=ABC/year=2025/month=02/data.parquet");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            String glob = lakeDir.resolve("bronze/raw_ohlcv_1m") + "/*/*/*/data.parquet";
            List<String> types = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + glob + "', hive_partitioning = false)")) {
                while (rs.next()) {
                    types.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            assertThat(types).containsExactly("symbol VARCHAR", "ts TIMESTAMP", "open DOUBLE", "high DOUBLE", "low DOUBLE",
                    "close DOUBLE", "volume DOUBLE", "vwap DOUBLE", "transactions BIGINT", "ingested_at TIMESTAMP WITH TIME ZONE");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT filename LIKE '%month=01%', ts::VARCHAR, open, high, low, close, volume,"
                    + " transactions, epoch_us(ingested_at) FROM read_parquet('" + glob + "', filename = true) ORDER BY ts")) {
                while (rs.next()) {
                    rows.add(rs.getBoolean(1) + " " + rs.getString(2) + " " + rs.getDouble(3) + " " + rs.getDouble(4) + " "
                            + rs.getDouble(5) + " " + rs.getDouble(6) + " " + rs.getDouble(7) + " " + rs.getLong(8) + " "
                            + rs.getLong(9));
                }
            }
            long micros = INGESTED.toEpochMilli() * 1000;
            assertThat(rows).containsExactly(
                    "true 2025-01-31 20:59:00 9.9 10.2 9.7 10.0 1500.5 12 " + micros,
                    "true 2025-02-01 00:59:00 10.9 11.2 10.7 11.0 1500.5 12 " + micros,
                    "false 2025-02-03 14:30:00 11.9 12.2 11.7 12.0 1500.5 12 " + micros);
        }
        assertThat(lake.read(ABC, YearMonth.of(2025, 1), YearMonth.of(2025, 2))).isEqualTo(MINUTES);
        assertThat(lake.readFile(ABC, YearMonth.of(2025, 2)).metadata())
                .containsEntry("pricelake.adjustment", "splits-through:2025-02-03");
    }

    @Test
    void mergingTheSameMinutesAgainWritesNothingAndAChangedMinuteReplacesItsRow(@TempDir Path dir) throws Exception {
        Path lakeDir = dir.resolve("lake");
        MinuteBronzeLake lake = new MinuteBronzeLake(new FileObjectStore(lakeDir));
        lake.merge(ABC, MINUTES, Map.of());
        Path january = lakeDir.resolve(MinuteBronzeLake.key(ABC, YearMonth.of(2025, 1)));
        byte[] before = Files.readAllBytes(january);

        List<MinuteRow> again = MINUTES.stream().map(r -> new MinuteRow(r.bar(), LATER)).toList();
        assertThat(lake.merge(ABC, again, Map.of())).isEqualTo(new MinuteBronzeLake.Written(0, 0, 0, 3));
        assertThat(Files.readAllBytes(january)).isEqualTo(before);

        MinuteRow revised = row("2025-01-31T20:59:00Z", 10.5, LATER);
        MinuteRow added = row("2025-01-31T20:58:00Z", 9.5, LATER);
        assertThat(lake.merge(ABC, List.of(revised, added), Map.of())).isEqualTo(new MinuteBronzeLake.Written(1, 1, 1, 0));
        assertThat(lake.read(ABC, YearMonth.of(2025, 1), YearMonth.of(2025, 1)))
                .containsExactly(added, revised, MINUTES.get(1));
    }

    @Test
    void anotherSymbolsMinuteIsRefused(@TempDir Path dir) {
        MinuteBronzeLake lake = new MinuteBronzeLake(new FileObjectStore(dir));
        MinuteRow other = new MinuteRow(new MinuteBar(Ticker.of("XYZ"), Instant.parse("2025-02-03T14:30:00Z"), 1, 2, 0.5, 1.5,
                10, null, null), INGESTED);
        assertThatThrownBy(() -> lake.merge(ABC, List.of(other), Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a XYZ bar cannot be merged into the bronze file of ABC");
    }

    @Test
    void aMinuteIsValidOnlyOnASessionsExtendedHoursAndWithTheDayBarsValueRules() {
        BarValidator validator = new BarValidator(TradingCalendar.nyse());
        MinuteBar good = new MinuteBar(ABC, Instant.parse("2024-11-29T08:00:00Z"), 1, 2, 0.5, 1.5, 10, 1.2, 3L);
        assertThat(validator.reasons(good)).as("03:00 New York").isNotEmpty();
        assertThat(validator.reasons(withStart(good, "2024-11-29T09:00:00Z"))).as("04:00 New York").isEmpty();
        assertThat(validator.reasons(withStart(good, "2024-11-30T00:59:00Z"))).as("19:59 New York").isEmpty();
        assertThat(validator.reasons(withStart(good, "2024-11-30T01:00:00Z"))).singleElement().asString()
                .contains("outside the session's extended hours");
        assertThat(validator.reasons(withStart(good, "2024-11-28T15:00:00Z"))).singleElement().asString()
                .contains("is not on an NYSE session");
        assertThat(validator.reasons(withStart(good, "2024-11-29T15:00:30Z"))).singleElement().asString()
                .contains("not the start of a minute");
        MinuteBar inverted = new MinuteBar(ABC, Instant.parse("2024-11-29T15:00:00Z"), 1, 0.5, 2, 1.5, -10, 1.2, 3L);
        assertThat(validator.reasons(inverted)).anySatisfy(r -> assertThat(r).contains("volume -10.0 is negative"));
        assertThat(validator.reasons(new MinuteBar(ABC, Instant.parse("2024-11-29T15:00:00Z"), 1, 0.5, 2, 1.5, 10, 1.2, 3L)))
                .contains("high 0.5 is below low 2.0");
    }

    @Test
    void filesListsEachSymbolsMonthsOldestFirstWithoutReadingThem(@TempDir Path dir) throws Exception {
        FileObjectStore store = new FileObjectStore(dir);
        MinuteBronzeLake lake = new MinuteBronzeLake(store);
        lake.merge(ABC, MINUTES, Map.of());
        store.put(MinuteBronzeLake.key(Ticker.of("XYZ"), YearMonth.of(2024, 12)), new byte[] {1, 2, 3});
        store.put("bronze/raw_ohlcv_1m/symbol=XYZ/notes.txt", new byte[0]);
        store.put("bronze/raw_ohlcv/symbol=DAY/data.parquet", new byte[0]);

        assertThat(lake.files()).containsExactly(Map.entry(ABC, List.of(YearMonth.of(2025, 1), YearMonth.of(2025, 2))),
                Map.entry(Ticker.of("XYZ"), List.of(YearMonth.of(2024, 12))));
    }

    private static MinuteBar withStart(MinuteBar bar, String utc) {
        return new MinuteBar(bar.symbol(), Instant.parse(utc), bar.open(), bar.high(), bar.low(), bar.close(), bar.volume(),
                bar.vwap(), bar.transactions());
    }
}
