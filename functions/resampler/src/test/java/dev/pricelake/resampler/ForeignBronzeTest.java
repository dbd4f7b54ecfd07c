package dev.pricelake.resampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake whose bronze files another engine wrote (DuckDB: OPTIONAL columns, data page v2, dictionaries,
 * several row groups, SNAPPY) resamples and verifies exactly as the same bars in our own files; a bronze file
 * that cannot be used is named, left out, and the rest of the lake is still resampled and verified.
 */
class ForeignBronzeTest {
    private static final LocalDate AS_OF = LocalDate.of(2024, 3, 20);
    @TempDir
    Path temp;

    private static Resampler resampler(FileObjectStore lake) {
        return new Resampler(lake, Lakes.CALENDAR, Resampler.DEFAULT_INTERVALS, ForkJoinPool.commonPool(), Clock.systemUTC());
    }

    private static LakeVerifier.Report verify(FileObjectStore lake, String... symbols) {
        return new LakeVerifier(lake, Optional.empty(), Lakes.CALENDAR, Resampler.DEFAULT_INTERVALS)
                .verify(java.util.Arrays.stream(symbols).map(Ticker::of).toList(), AS_OF);
    }

    private static void duckdb(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private static void assertSameSilver(FileObjectStore actual, FileObjectStore expected) {
        assertThat(actual.list("silver/")).isNotEmpty().containsExactlyElementsOf(expected.list("silver/"));
        for (String key : expected.list("silver/")) {
            assertThat(actual.get(key).orElseThrow()).as(key).isEqualTo(expected.get(key).orElseThrow());
        }
    }

    @Test
    void duckDbWrittenBronzeResamplesAndVerifiesLikeOurOwn() throws Exception {
        FileObjectStore ours = new FileObjectStore(temp.resolve("ours"));
        Lakes.write(ours, Lakes.bars("FULL", "2023-10-02", "2024-03-15", s -> true, 1));
        Lakes.write(ours, Lakes.bars("HALT", "2023-10-02", "2024-03-15", s -> s % 7 != 3, 3));
        FileObjectStore theirs = new FileObjectStore(temp.resolve("theirs"));
        for (String key : ours.list(BronzeLake.PREFIX)) {
            Path target = theirs.root().resolve(key);
            Files.createDirectories(target.getParent());
            duckdb("COPY (SELECT * FROM read_parquet('" + ours.root().resolve(key) + "')) TO '" + target
                    + "' (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION SNAPPY, ROW_GROUP_SIZE 50)");
        }
        assertThat(theirs.get(BronzeLake.key(Ticker.of("FULL"))).orElseThrow())
                .isNotEqualTo(ours.get(BronzeLake.key(Ticker.of("FULL"))).orElseThrow());

        Resampler.Result expected = resampler(ours).full();
        Resampler.Result actual = resampler(theirs).full();
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.unreadable()).isEmpty();
        assertSameSilver(theirs, ours);
        LakeVerifier.Report report = verify(theirs, "FULL", "HALT");
        assertThat(VerifyOutput.json(report)).isEqualTo(VerifyOutput.json(verify(ours, "FULL", "HALT")));
        assertThat(report.totals()).containsEntry("missing_sessions", (long) verify(ours, "HALT").symbols().getFirst()
                .missingSessions().count()).containsEntry("silver_diffs", 0L);

        // A file another tool wrote with a text column: named, left out, and the rest goes on.
        Path bad = theirs.root().resolve(BronzeLake.key(Ticker.of("BAD")));
        Files.createDirectories(bad.getParent());
        duckdb("COPY (SELECT * REPLACE ('BAD' AS symbol, open::VARCHAR AS open) FROM read_parquet('"
                + ours.root().resolve(BronzeLake.key(Ticker.of("FULL"))) + "')) TO '" + bad + "' (FORMAT parquet)");
        Resampler.Result withBad = resampler(theirs).full();
        assertThat(withBad.unreadable()).containsOnlyKeys(BronzeLake.key(Ticker.of("BAD")));
        assertThat(withBad.unreadable().values().iterator().next()).contains("column 'open' is BINARY (STRING)");
        assertThat(withBad.symbolsRead()).isEqualTo(2);
        assertSameSilver(theirs, ours);
        LakeVerifier.Report badReport = verify(theirs, "BAD", "FULL");
        assertThat(badReport.totals()).containsEntry("unreadable", 1L).containsEntry("symbols_with_defects", 1L);
        assertThat(badReport.symbols().getFirst().unreadableFile().examples().getFirst())
                .startsWith(BronzeLake.key(Ticker.of("BAD")) + ": column 'open'");
        assertThat(badReport.symbols().get(1).defects()).as("FULL is still checked, and clean").isZero();

        // An incremental run keeps the silver rows of a file that became unusable, and says so.
        Files.copy(bad, theirs.root().resolve(BronzeLake.key(Ticker.of("HALT"))), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Resampler.Result incremental = resampler(theirs).incremental(Optional.of(List.of(Ticker.of("HALT"))));
        assertThat(incremental.mode()).isEqualTo("incremental");
        assertThat(incremental.unreadable()).containsOnlyKeys(BronzeLake.key(Ticker.of("HALT")));
        assertThat(incremental.partitionsWritten()).isZero();
        assertSameSilver(theirs, ours);
    }
}
