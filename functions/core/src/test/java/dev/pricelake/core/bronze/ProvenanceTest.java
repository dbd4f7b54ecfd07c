package dev.pricelake.core.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.MixedAdjustmentException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What a bronze file records about its bars, through a write, a read and a merge. */
class ProvenanceTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final Ticker ABC = Ticker.of("ABC");

    private static BronzeRow row(String date) {
        return new BronzeRow(new Bar(ABC, LocalDate.parse(date), 1, 2, 1, 2, 10, null, null), Instant.parse("2024-06-01T00:00:00Z"));
    }

    @Test
    void theFooterCarriesTheProvenanceThroughAWriteAndARead() {
        Provenance p = new Provenance(Adjustment.splitsThrough(LocalDate.of(2024, 6, 10)), DateRange.parse("2024-01-01", "2024-06-10"),
                new TreeSet<>(CALENDAR.sessions(DateRange.parse("2024-01-02", "2024-01-31"))), "");
        byte[] bytes = BronzeParquet.write(List.of(row("2024-02-01")), p.toMetadata(CALENDAR));
        BronzeFile read = BronzeParquet.readFile(bytes, "test");
        assertThat(read.metadata()).containsEntry("pricelake.no_bar_sessions", "2024-01-02..2024-01-31")
                .doesNotContainKey(BronzeParquet.FORMAT_KEY);
        assertThat(Provenance.of(read, CALENDAR, "test")).contains(p);
    }

    @Test
    void aFileWithoutRowsStillCarriesItsProvenance() {
        Provenance p = new Provenance(Adjustment.UNADJUSTED, DateRange.parse("2024-06-03", "2024-06-07"),
                new TreeSet<>(CALENDAR.sessions(DateRange.parse("2024-06-03", "2024-06-07"))), "");
        BronzeFile read = BronzeParquet.readFile(BronzeParquet.write(List.of(), p.toMetadata(CALENDAR)), "test");
        assertThat(read.rows()).isEmpty();
        assertThat(Provenance.of(read, CALENDAR, "test")).contains(p);
    }

    @Test
    void aFileFromBeforeTheLakeKeptProvenanceCountsAsAdjustedThroughItsLastBar() {
        BronzeFile legacy = BronzeParquet.readFile(BronzeParquet.write(List.of(row("2024-03-01"), row("2024-03-04"))), "test");
        Provenance p = Provenance.of(legacy, CALENDAR, "test").orElseThrow();
        assertThat(p.adjustment()).isEqualTo(Adjustment.splitsThrough(LocalDate.of(2024, 3, 4)));
        assertThat(p.covered()).hasToString("2024-03-01..2024-03-04");
        assertThat(Provenance.of(BronzeFile.EMPTY, CALENDAR, "test")).isEmpty();
    }

    @Test
    void aMergeKeepsTheEarlierAdjustmentAndNeverMixesAdjustedWithUnadjusted() {
        Provenance june = new Provenance(Adjustment.splitsThrough(LocalDate.of(2024, 6, 10)), DateRange.parse("2024-06-03", "2024-06-10"),
                new TreeSet<>(Set.of(LocalDate.of(2024, 6, 5))), "");
        Provenance july = new Provenance(Adjustment.splitsThrough(LocalDate.of(2024, 7, 3)), DateRange.parse("2024-07-01", "2024-07-03"),
                new TreeSet<>(Set.of(LocalDate.of(2024, 7, 2))), "");
        Provenance merged = june.mergedWith(july, Set.of(LocalDate.of(2024, 6, 5)), "f");
        assertThat(merged.adjustment().splitsThrough()).isEqualTo(LocalDate.of(2024, 6, 10));
        assertThat(merged.covered()).hasToString("2024-06-03..2024-07-03");
        assertThat(merged.noBars()).as("a bar that arrived later is no longer a no-bar session")
                .containsExactly(LocalDate.of(2024, 7, 2));
        Provenance unadjusted = new Provenance(Adjustment.UNADJUSTED, july.covered(), new TreeSet<>(), "");
        assertThatThrownBy(() -> june.mergedWith(unadjusted, Set.of(), "bronze/raw_ohlcv/symbol=ABC/data.parquet"))
                .isInstanceOf(MixedAdjustmentException.class)
                .hasMessage("bronze/raw_ohlcv/symbol=ABC/data.parquet holds split-adjusted (through 2024-06-10) bars; bars"
                        + " fetched unadjusted are not merged into it (keep an unadjusted lake in its own --data-dir)");
    }

    @Test
    void replacingAFileWithTheSameBarsKeepsTheirIngestionTimeAndRemovesWhatIsGone() {
        BronzeFile stored = new BronzeFile(List.of(row("2024-03-01"), row("2024-03-04"), row("2024-03-05")), Map.of());
        BronzeRow later = new BronzeRow(row("2024-03-04").bar(), Instant.parse("2024-07-01T00:00:00Z"));
        BronzeMerge.Result r = BronzeMerge.replace(stored, List.of(later), Map.of("pricelake.adjustment", "unadjusted"));
        assertThat(r.rows()).containsExactly(row("2024-03-04"));
        assertThat(r.removed()).isEqualTo(2);
        assertThat(r.unchanged()).isEqualTo(1);
        assertThat(BronzeMerge.replace(new BronzeFile(r.rows(), r.metadata()), List.of(later), r.metadata()).changed()).isFalse();
    }
}
