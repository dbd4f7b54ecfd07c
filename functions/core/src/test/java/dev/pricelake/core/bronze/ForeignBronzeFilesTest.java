package dev.pricelake.core.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.Ticker;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bronze files written by another engine (DuckDB, as a user would) are read as the rows they hold: OPTIONAL
 * columns, dictionary pages, data page v2 encodings, several row groups, every common codec, and column types
 * that hold the same values exactly. What cannot be used is refused with the file and the column named.
 */
class ForeignBronzeFilesTest {
    private static final Ticker XYZ = Ticker.of("XYZ");
    @TempDir
    static Path dir;
    private static Path ours;
    private static List<BronzeRow> rows;
    private static Connection duck;

    @BeforeAll
    static void writeOurs() throws Exception {
        rows = new ArrayList<>();
        LocalDate day = LocalDate.of(2000, 1, 3);
        // 5,000 rows: DuckDB closes row groups on 2,048-row vectors, so ROW_GROUP_SIZE 1000 gives three of them.
        for (int i = 0; i < 5_000; i++) {
            double close = 100 + (i % 97) * 0.25;
            Bar bar = new Bar(XYZ, day.plusDays(i), close - 0.5, close + 1, close - 1, close, 1000.5 + i,
                    i % 3 == 0 ? null : close - 0.25, i % 5 == 0 ? null : (long) i);
            rows.add(new BronzeRow(bar, Instant.parse("2024-05-01T10:15:30.123456Z").plusSeconds(i)));
        }
        ours = dir.resolve("ours.parquet");
        Files.write(ours, BronzeParquet.write(rows));
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = duck.createStatement()) {
            // Casts from TIMESTAMP WITH TIME ZONE to a plain TIMESTAMP go through the session's zone.
            st.execute("SET TimeZone = 'UTC'");
        }
    }

    @AfterAll
    static void close() throws Exception {
        duck.close();
    }

    private static Path copy(String name, String select, String options) throws Exception {
        Path file = dir.resolve(name + ".parquet");
        try (Statement st = duck.createStatement()) {
            st.execute("COPY (" + select.replace("OURS", "read_parquet('" + ours + "')") + ") TO '" + file + "' (FORMAT parquet"
                    + options + ")");
        }
        return file;
    }

    private static long query(String sql) throws Exception {
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<BronzeRow> read(Path file) throws Exception {
        return BronzeParquet.read(Files.readAllBytes(file), file.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"V1, SNAPPY", "V2, SNAPPY", "V1, GZIP", "V2, ZSTD", "V2, UNCOMPRESSED", "V2, LZ4_RAW"})
    void readsWhatDuckDbWritesAsTheSameRows(String version, String codec) throws Exception {
        Path theirs = copy("duckdb-" + version + "-" + codec, "SELECT * FROM OURS",
                ", ROW_GROUP_SIZE 1000, PARQUET_VERSION " + version + ", COMPRESSION " + codec);
        assertThat(query("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + theirs + "')")).isGreaterThan(1);
        assertThat(query("SELECT count(*) FROM parquet_schema('" + theirs + "') WHERE repetition_type = 'OPTIONAL'"))
                .as("DuckDB writes every column OPTIONAL").isEqualTo(10);
        assertThat(query("SELECT count(*) FROM parquet_metadata('" + theirs + "') WHERE encodings LIKE '%DICTIONARY%'"))
                .as("some chunks are dictionary-encoded").isPositive();
        if (version.equals("V2")) {
            assertThat(query("SELECT count(*) FROM parquet_metadata('" + theirs + "') WHERE encodings LIKE '%DELTA%'"
                    + " OR encodings LIKE '%BYTE_STREAM_SPLIT%'")).as("v2 encodings").isPositive();
        }
        assertThat(read(theirs)).isEqualTo(rows);
    }

    @Test
    void readsColumnsOfOtherTypesThatHoldTheSameValues() throws Exception {
        Path theirs = copy("converted", "SELECT symbol, date, open::DECIMAL(12, 4) AS open, high, low, close,"
                + " volume::DECIMAL(18, 1) AS volume, vwap, transactions::INTEGER AS transactions,"
                + " ingested_at::TIMESTAMP::TIMESTAMP_NS AS ingested_at, 'extra' AS note FROM OURS", "");
        assertThat(read(theirs)).isEqualTo(rows);
        Path millis = copy("millis", "SELECT * REPLACE (date_trunc('second', ingested_at)::TIMESTAMP::TIMESTAMP_MS AS ingested_at,"
                + " round(volume)::BIGINT AS volume) FROM OURS", "");
        List<BronzeRow> read = read(millis);
        assertThat(read.get(7).ingestedAt()).isEqualTo(Instant.parse("2024-05-01T10:15:37Z"));
        assertThat(read.get(7).bar().volume()).isEqualTo(Math.round(rows.get(7).bar().volume()));
    }

    @Test
    void aNullWhereAValueIsRequiredIsAnErrorNamingTheFileAndColumn() throws Exception {
        Path theirs = copy("null-open", "SELECT * REPLACE (CASE WHEN transactions = 4001 THEN NULL ELSE open END AS open) FROM OURS", "");
        assertThatThrownBy(() -> read(theirs)).isInstanceOf(MalformedDataException.class)
                .hasMessageStartingWith(theirs + ": ")
                .hasMessageContaining("column 'open' has a null at row 4001");
    }

    @Test
    void aColumnOfAnotherKindOrAMissingColumnIsAnErrorNamingIt() throws Exception {
        Path text = copy("text-open", "SELECT * REPLACE (open::VARCHAR AS open) FROM OURS", "");
        assertThatThrownBy(() -> read(text)).isInstanceOf(MalformedDataException.class)
                .hasMessageStartingWith(text + ": ")
                .hasMessageContaining("column 'open' is BINARY (STRING), where a number");
        Path noVolume = copy("no-volume", "SELECT * EXCLUDE (volume) FROM OURS", "");
        assertThatThrownBy(() -> read(noVolume)).isInstanceOf(MalformedDataException.class)
                .hasMessage(noVolume + ": column 'volume' is missing");
        Path date = copy("timestamp-date", "SELECT * REPLACE (date::TIMESTAMP AS date) FROM OURS", "");
        assertThatThrownBy(() -> read(date)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("column 'date' is INT64 (TIMESTAMP(MICROS,false)), where a date (INT32, DATE) is expected");
    }
}
