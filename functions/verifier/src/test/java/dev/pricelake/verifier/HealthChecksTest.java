package dev.pricelake.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.bronze.Adjustment;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Provenance;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Verify's checks beyond gaps, on a lake of planted bars: each finding against the bar that makes it. */
class HealthChecksTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final DateRange MARCH = DateRange.parse("2024-03-01", "2024-03-28");
    private final InMemoryObjectStore lake = new InMemoryObjectStore();

    /** A bar on every session of March at 10 and 1,000 shares, but for the changes given as (date, close, volume). */
    private void file(String symbol, Adjustment adjustment, Object... changes) {
        List<BronzeRow> rows = new ArrayList<>();
        for (LocalDate d : CALENDAR.sessions(MARCH)) {
            double close = 10;
            double volume = 1000;
            for (int i = 0; i < changes.length; i += 3) {
                if (d.toString().equals(changes[i])) {
                    close = (double) changes[i + 1];
                    volume = (double) changes[i + 2];
                }
            }
            rows.add(new BronzeRow(new Bar(Ticker.of(symbol), d, close, close, close, close, volume, null, null),
                    Instant.parse("2024-04-01T00:00:00Z")));
        }
        new BronzeLake(lake).merge(Ticker.of(symbol), rows, new Provenance(adjustment, MARCH, new TreeSet<>(), "")
                .toMetadata(CALENDAR));
    }

    private LakeVerifier.SymbolReport verify(String symbol) {
        return new LakeVerifier(lake, Optional.empty(), Optional.empty(), CALENDAR, List.of()).verify(List.of(Ticker.of(symbol)),
                java.util.Map.of(), LocalDate.of(2024, 4, 1), 30).symbols().getFirst();
    }

    @Test
    void aLargeMoveWithoutASplitAndATenfoldVolumeAreWarningsNotDefects() {
        file("JUMP", Adjustment.splitsThrough(LocalDate.of(2024, 3, 28)), "2024-03-12", 16.0, 1000.0, "2024-03-20", 10.0, 12_000.0);
        LakeVerifier.SymbolReport r = verify("JUMP");
        assertThat(r.largeMoves().examples()).as("back down from 16 to 10 is 37.5 %: below the bar")
                .containsExactly("2024-03-12: close 16.0 after 10.0 on 2024-03-11 (+60 %), no split that day");
        assertThat(r.volumeJumps().count()).isEqualTo(2);
        assertThat(r.defects()).isZero();
    }

    @Test
    void aSplitDayExplainsTheJumpOfUnadjustedBarsAndASplitTheBarsMissIsADefect() {
        new CorporateActionLake(lake).replaceSplits(MARCH, List.of(new Split(Ticker.of("RAW"), LocalDate.of(2024, 3, 12), 1, 2),
                new Split(Ticker.of("OLD"), LocalDate.of(2024, 3, 20), 1, 4)));
        file("RAW", Adjustment.UNADJUSTED, "2024-03-12", 5.0, 2000.0);
        file("OLD", Adjustment.splitsThrough(LocalDate.of(2024, 3, 15)));
        LakeVerifier.SymbolReport raw = verify("RAW");
        assertThat(raw.largeMoves().examples()).as("the split day is explained; the day after, back at 10, is not")
                .singleElement().asString().startsWith("2024-03-13");
        assertThat(raw.splitsNotApplied().count()).isZero();
        LakeVerifier.SymbolReport old = verify("OLD");
        assertThat(old.splitsNotApplied().examples()).containsExactly(
                "2024-03-20: split OLD 2024-03-20 4-for-1 is not applied (bars adjusted through 2024-03-15)");
        assertThat(old.defects()).isEqualTo(1);
    }
}
