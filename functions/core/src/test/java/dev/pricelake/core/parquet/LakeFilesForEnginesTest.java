package dev.pricelake.core.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.silver.SilverRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What query engines need from our files, as DuckDB (an independent reader) reports it: the logical types
 * Athena and Spark map to DATE, TIMESTAMP and STRING, and min/max statistics and null counts on every column
 * chunk, so engines can skip row groups.
 */
class LakeFilesForEnginesTest {
    @TempDir
    Path dir;

    private static Map<String, String> rows(Statement st, String sql) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    @Test
    void bronzeHasTheDesignedLogicalTypesAndStatisticsOnEveryColumn() throws Exception {
        Instant at = Instant.parse("2024-05-01T10:15:30Z");
        List<BronzeRow> bars = List.of(
                new BronzeRow(new Bar(Ticker.of("ABC"), LocalDate.of(2024, 3, 1), 10, 12, 9, 11, 1000, 10.5, 7L), at),
                new BronzeRow(new Bar(Ticker.of("ABC"), LocalDate.of(2024, 3, 4), 11, 13, 8, 12, 2000, null, null), at),
                new BronzeRow(new Bar(Ticker.of("ABC"), LocalDate.of(2024, 3, 5), 12, 15, 11, 14, 500, 13.0, 9L), at));
        Path file = dir.resolve("bronze.parquet");
        Files.write(file, BronzeParquet.write(bars));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            assertThat(rows(st, "SELECT name, concat_ws(' ', type, repetition_type, logical_type) FROM parquet_schema('" + file
                    + "') WHERE type IS NOT NULL")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "symbol", "BYTE_ARRAY REQUIRED StringType()",
                    "date", "INT32 REQUIRED DateType()",
                    "open", "DOUBLE REQUIRED", "high", "DOUBLE REQUIRED", "low", "DOUBLE REQUIRED",
                    "close", "DOUBLE REQUIRED", "volume", "DOUBLE REQUIRED", "vwap", "DOUBLE OPTIONAL",
                    "transactions", "INT64 OPTIONAL",
                    "ingested_at", "INT64 REQUIRED TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))"));
            assertThat(rows(st, "SELECT path_in_schema, concat_ws(' ', stats_min_value, stats_max_value, stats_null_count)"
                    + " FROM parquet_metadata('" + file + "')")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "symbol", "ABC ABC 0",
                    "date", "2024-03-01 2024-03-05 0",
                    "open", "10.0 12.0 0", "high", "12.0 15.0 0", "low", "8.0 11.0 0", "close", "11.0 14.0 0",
                    "volume", "500.0 2000.0 0", "vwap", "10.5 13.0 1", "transactions", "7 9 1",
                    "ingested_at", "2024-05-01 10:15:30+00 2024-05-01 10:15:30+00 0"));
        }
    }

    @Test
    void silverHasTheDesignedTypesStatisticsAndPagesThatNameTheirSymbols() throws Exception {
        SilverRows rows = new SilverRows(50_000);
        // Sorted by symbol as partitions are; enough rows for several pages per column.
        for (int s = 0; s < 1_000; s++) {
            String symbol = String.format("S%04d", s);
            for (int b = 0; b < 40; b++) {
                int start = 19_000 + b * 5;
                rows.add(symbol, start, start + 4, 10 + b, 12 + b, 9 + b, 11 + b, 1000 * b, 5, b < 39);
            }
        }
        Path file = dir.resolve("silver.parquet");
        Files.write(file, SilverParquet.write(rows, 0, rows.size(), 5));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            assertThat(rows(st, "SELECT name, concat_ws(' ', type, repetition_type, logical_type) FROM parquet_schema('" + file
                    + "') WHERE type IS NOT NULL")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("symbol", "BYTE_ARRAY REQUIRED StringType()"), Map.entry("interval_days", "INT32 REQUIRED"),
                    Map.entry("start_date", "INT32 REQUIRED DateType()"), Map.entry("end_date", "INT32 REQUIRED DateType()"),
                    Map.entry("open", "DOUBLE REQUIRED"), Map.entry("high", "DOUBLE REQUIRED"), Map.entry("low", "DOUBLE REQUIRED"),
                    Map.entry("close", "DOUBLE REQUIRED"), Map.entry("volume", "DOUBLE REQUIRED"),
                    Map.entry("bar_count", "INT32 REQUIRED"), Map.entry("complete", "BOOLEAN REQUIRED")));
            assertThat(rows(st, "SELECT path_in_schema, concat_ws(' ', stats_min_value, stats_max_value, stats_null_count)"
                    + " FROM parquet_metadata('" + file + "')")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("symbol", "S0000 S0999 0"), Map.entry("interval_days", "5 5 0"),
                    Map.entry("start_date", "2022-01-08 2022-07-22 0"), Map.entry("end_date", "2022-01-12 2022-07-26 0"),
                    Map.entry("open", "10.0 49.0 0"), Map.entry("high", "12.0 51.0 0"), Map.entry("low", "9.0 48.0 0"),
                    Map.entry("close", "11.0 50.0 0"), Map.entry("volume", "0.0 39000.0 0"),
                    Map.entry("bar_count", "5 5 0"), Map.entry("complete", "false true 0")));
            try (ResultSet rs = st.executeQuery("SELECT count(*), sum(volume) FROM read_parquet('" + file
                    + "') WHERE symbol = 'S0500'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(40);
                assertThat(rs.getDouble(2)).isEqualTo(780_000.0);
            }
        }
        // Pages of the symbol column carry their own min/max (the column index engines skip pages with).
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new InMemoryFiles.Input(Files.readAllBytes(file)))) {
            var chunk = reader.getRowGroups().getFirst().getColumns().getFirst();
            var index = reader.readColumnIndex(chunk);
            assertThat(index).isNotNull();
            List<String> firstSymbols = new ArrayList<>();
            index.getMinValues().forEach(b -> firstSymbols.add(java.nio.charset.StandardCharsets.UTF_8.decode(b).toString()));
            assertThat(firstSymbols).hasSizeGreaterThan(1).isSorted();
        }
    }
}
