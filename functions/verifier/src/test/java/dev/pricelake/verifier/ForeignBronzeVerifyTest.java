package dev.pricelake.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.resampler.ResampleHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verify on a lake whose bronze DuckDB wrote (OPTIONAL columns, data page v2, dictionaries, several row groups,
 * SNAPPY) reports exactly what it reports for the same bars in our own files; a bronze file that cannot be used
 * is the defect of its symbol, named with the file and column, and the other symbols are still checked.
 */
class ForeignBronzeVerifyTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate AS_OF = LocalDate.of(2024, 3, 20);
    @TempDir
    Path temp;

    /** A random walk on every session but every seventh, from a seed: a symbol with gaps verify must find. */
    private static List<BronzeRow> bars(String symbol, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<BronzeRow> rows = new ArrayList<>();
        double close = 100;
        int i = 0;
        for (LocalDate d : CALENDAR.sessions(DateRange.parse("2023-10-02", "2024-03-15"))) {
            double open = Math.round(close * (1 + 0.01 * (random.nextDouble() - 0.5)) * 100) / 100.0;
            close = Math.round(close * (1 + 0.04 * (random.nextDouble() - 0.5)) * 100) / 100.0;
            if (i++ % 7 != 3) {
                rows.add(new BronzeRow(new Bar(Ticker.of(symbol), d, open, Math.max(open, close) + 0.5,
                        Math.min(open, close) - 0.5, close, 1000 + random.nextInt(1000), null, null),
                        Instant.parse("2026-01-05T11:00:00Z")));
            }
        }
        return rows;
    }

    /** Sessions between the symbol's first and last bar that it has no bar for. */
    private static long gaps(String symbol, long seed) {
        List<BronzeRow> rows = bars(symbol, seed);
        return CALENDAR.sessions(new DateRange(rows.getFirst().bar().date(), rows.getLast().bar().date())).size()
                - rows.size();
    }

    private static void duckdb(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private static LakeVerifier.Report resampleAndVerify(FileObjectStore lake, String... symbols) {
        new ResampleHandler(lake, null, ResampleHandler.intervals(null), Clock.systemUTC())
                .invoke(Events.object().put("mode", "full"));
        return new LakeVerifier(lake, Optional.empty(), Optional.empty(), CALENDAR, ResampleHandler.intervals(null))
                .verify(java.util.Arrays.stream(symbols).map(Ticker::of).toList(), java.util.Map.of(), AS_OF, 30);
    }

    @Test
    void duckDbWrittenBronzeVerifiesLikeOurOwnAndAnUnusableFileIsNamed() throws Exception {
        FileObjectStore ours = new FileObjectStore(temp.resolve("ours"));
        new BronzeLake(ours).merge(Ticker.of("GAPS"), bars("GAPS", 1));
        new BronzeLake(ours).merge(Ticker.of("MORE"), bars("MORE", 2));
        FileObjectStore theirs = new FileObjectStore(temp.resolve("theirs"));
        for (String key : ours.list(BronzeLake.PREFIX)) {
            Path target = theirs.root().resolve(key);
            Files.createDirectories(target.getParent());
            duckdb("COPY (SELECT * FROM read_parquet('" + ours.root().resolve(key) + "')) TO '" + target
                    + "' (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION SNAPPY, ROW_GROUP_SIZE 50)");
        }

        LakeVerifier.Report expected = resampleAndVerify(ours, "GAPS", "MORE");
        LakeVerifier.Report actual = resampleAndVerify(theirs, "GAPS", "MORE");
        assertThat(VerifyOutput.json(actual)).isEqualTo(VerifyOutput.json(expected));
        assertThat(actual.totals()).containsEntry("missing_sessions", gaps("GAPS", 1) + gaps("MORE", 2))
                .containsEntry("silver_diffs", 0L).containsEntry("unreadable", 0L);

        Path bad = theirs.root().resolve(BronzeLake.key(Ticker.of("BAD")));
        Files.createDirectories(bad.getParent());
        duckdb("COPY (SELECT * REPLACE ('BAD' AS symbol, open::VARCHAR AS open) FROM read_parquet('"
                + ours.root().resolve(BronzeLake.key(Ticker.of("GAPS"))) + "')) TO '" + bad + "' (FORMAT parquet)");
        LakeVerifier.Report withBad = resampleAndVerify(theirs, "BAD", "GAPS");
        assertThat(withBad.totals()).containsEntry("unreadable", 1L).containsEntry("symbols_with_defects", 2L);
        assertThat(withBad.symbols().getFirst().unreadableFile().examples().getFirst())
                .startsWith(BronzeLake.key(Ticker.of("BAD")) + ": column 'open' is BINARY (STRING)");
        assertThat(withBad.symbols().get(1).missingSessions().count()).as("GAPS is still checked")
                .isEqualTo(expected.symbols().getFirst().missingSessions().count());
        assertThat(withBad.symbols().get(1).silverDiffs().count()).isZero();
    }
}
