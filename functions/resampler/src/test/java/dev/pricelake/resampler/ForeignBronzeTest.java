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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake whose bronze files another engine wrote (DuckDB: OPTIONAL columns, data page v2, dictionaries,
 * several row groups, SNAPPY) resamples exactly as the same bars in our own files; a bronze file that cannot
 * be used is named, left out, and the rest of the lake is still resampled (the verifier's own test checks
 * verify on such lakes).
 */
class ForeignBronzeTest {
    @TempDir
    Path temp;

    private static Resampler resampler(FileObjectStore lake) {
        return new Resampler(lake, Lakes.CALENDAR, Resampler.DEFAULT_INTERVALS, ForkJoinPool.commonPool(), Clock.systemUTC());
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
    void duckDbWrittenBronzeResamplesLikeOurOwn() throws Exception {
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

        // An incremental run keeps the silver rows of a file that became unusable, and says so.
        Files.copy(bad, theirs.root().resolve(BronzeLake.key(Ticker.of("HALT"))), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Resampler.Result incremental = resampler(theirs).incremental(Optional.of(List.of(Ticker.of("HALT"))));
        assertThat(incremental.mode()).isEqualTo("incremental");
        assertThat(incremental.unreadable()).containsOnlyKeys(BronzeLake.key(Ticker.of("HALT")));
        assertThat(incremental.partitionsWritten()).isZero();
        assertSameSilver(theirs, ours);
    }
}
