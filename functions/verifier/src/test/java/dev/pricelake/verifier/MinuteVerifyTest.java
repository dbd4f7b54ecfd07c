package dev.pricelake.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.recent.InMemoryMinuteBars;
import dev.pricelake.core.recent.MinuteBarsStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Verify over minute bronze built here minute by minute, each defect planted by the test: gaps inside regular hours
 * grouped as ranges (early closes at 13:00), a thin symbol's empty minutes left alone, duplicates, invalid minutes,
 * rows outside their file's month, an unreadable file, and ohlcv_minute against bronze inside the minute window.
 */
class MinuteVerifyTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** The two early closes (13:00) of November and December 2024. */
    private static final Set<LocalDate> EARLY = Set.of(LocalDate.of(2024, 11, 29), LocalDate.of(2024, 12, 24));
    private static final Instant INGESTED = Instant.parse("2025-01-02T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final InMemoryMinuteBars postgres = new InMemoryMinuteBars();

    private static Instant newYork(String dateTime) {
        return LocalDateTime.parse(dateTime.replace(' ', 'T')).atZone(NEW_YORK).toInstant();
    }

    private static MinuteRow minute(String symbol, Instant start, double price) {
        return new MinuteRow(new MinuteBar(Ticker.of(symbol), start, price, price + 0.1, price - 0.1, price + 0.05, 100,
                price, 3L), INGESTED);
    }

    /**
     * The symbol's minutes of the sessions from..to: every {@code every}-th regular minute (09:30 to 16:00, 13:00 on
     * the early closes) and one pre-market minute (08:00) a session, but those {@code leaveOut} matches.
     */
    private static List<MinuteRow> minutes(String symbol, String from, String to, int every, Predicate<Instant> leaveOut) {
        List<MinuteRow> rows = new ArrayList<>();
        for (LocalDate day : CALENDAR.sessions(DateRange.parse(from, to))) {
            rows.add(minute(symbol, day.atTime(8, 0).atZone(NEW_YORK).toInstant(), 99));
            int regular = EARLY.contains(day) ? 210 : 390;
            for (int i = 0; i < regular; i += every) {
                Instant start = day.atTime(9, 30).plusMinutes(i).atZone(NEW_YORK).toInstant();
                if (!leaveOut.test(start)) {
                    rows.add(minute(symbol, start, 100 + (i % 50) * 0.01));
                }
            }
        }
        return rows;
    }

    private void merge(String symbol, List<MinuteRow> rows) {
        new MinuteBronzeLake(lake).merge(Ticker.of(symbol), rows, Map.of());
    }

    private LakeVerifier.Report verify(Optional<MinuteBarsStore> table, LocalDate asOf, int minuteDays) {
        return new LakeVerifier(lake, Optional.empty(), table, CALENDAR, List.of())
                .verify(List.of(), new MinuteBronzeLake(lake).files(), asOf, minuteDays);
    }

    private MinuteVerifier.SymbolReport only(LakeVerifier.Report report) {
        assertThat(report.minutes().symbols()).hasSize(1);
        return report.minutes().symbols().getFirst();
    }

    @Test
    void missingRegularMinutesOfASymbolThatTradesEveryMinuteAreRangesAndItsEdgesAndExtendedHoursAreNot() {
        Set<Instant> lost = Set.of(newYork("2024-12-03 10:15"), newYork("2024-12-03 10:16"), newYork("2024-12-03 10:17"),
                newYork("2024-12-24 12:59"), newYork("2024-11-12 09:30"));
        merge("LIQ", minutes("LIQ", "2024-11-05", "2024-12-27", 1,
                t -> lost.contains(t) || t.atZone(NEW_YORK).toLocalDate().equals(LocalDate.of(2024, 12, 10))));
        // An after-hours minute of the early close: extended hours, no gap and no defect.
        merge("LIQ", List.of(minute("LIQ", newYork("2024-12-24 13:30"), 100)));

        MinuteVerifier.SymbolReport r = only(verify(Optional.empty(), LocalDate.of(2024, 12, 31), 30));

        assertThat(r.gaps().examples()).containsExactly(
                "2024-11-12 09:30-09:31: 1 minute missing",
                "2024-12-03 10:15-10:18: 3 minutes missing",
                "2024-12-10 09:30-16:00: 390 minutes missing (the whole session)",
                "2024-12-24 12:59-13:00: 1 minute missing");
        assertThat(r.missingMinutes()).isEqualTo(1 + 3 + 390 + 1);
        assertThat(r.everyMinuteMonths()).isEqualTo(2);
        assertThat(r.files()).isEqualTo(2);
        assertThat(r.first()).isEqualTo("2024-11-05 08:00");
        assertThat(r.last()).isEqualTo("2024-12-27 15:59");
        assertThat(r.defects()).as("the gaps, nothing else").isEqualTo(4);
    }

    @Test
    void aThinSymbolsEmptyMinutesAreNoGapsButAMonthMissingInsideALiquidHistoryIsEveryOneOfItsSessions() {
        merge("THIN", minutes("THIN", "2024-11-01", "2024-12-31", 3, t -> false));
        merge("HOLE", minutes("HOLE", "2024-10-01", "2024-10-31", 1, t -> false));
        merge("HOLE", minutes("HOLE", "2024-12-02", "2024-12-31", 1, t -> false));

        LakeVerifier.Report report = verify(Optional.empty(), LocalDate.of(2024, 12, 31), 30);

        MinuteVerifier.SymbolReport hole = report.minutes().symbols().get(0);
        MinuteVerifier.SymbolReport thin = report.minutes().symbols().get(1);
        assertThat(thin.symbol()).isEqualTo("THIN");
        assertThat(thin.defects()).isZero();
        assertThat(thin.everyMinuteMonths()).isZero();
        assertThat(hole.symbol()).isEqualTo("HOLE");
        // November 2024: 20 sessions (the 28th is Thanksgiving), the 29th closing at 13:00.
        assertThat(hole.gaps().count()).isEqualTo(20);
        assertThat(hole.missingMinutes()).isEqualTo(19 * 390 + 210);
        assertThat(hole.gaps().examples()).first().isEqualTo("2024-11-01 09:30-16:00: 390 minutes missing (the whole session)");
        assertThat(hole.gaps().examples()).contains("2024-11-29 09:30-13:00: 210 minutes missing (the whole session)")
                .noneMatch(g -> g.startsWith("2024-11-28"));
        assertThat(report.totals()).containsEntry("minute_symbols", 2L).containsEntry("minute_gaps", 20L)
                .containsEntry("missing_minutes", 7620L).containsEntry("minute_symbols_with_defects", 1L);
        assertThat(report.clean()).isFalse();
    }

    @Test
    void duplicateInvalidAndMisplacedRowsAndAnUnreadableFileAreNamedAndTheOtherMonthsStillChecked() {
        List<MinuteRow> november = new ArrayList<>(minutes("DUP", "2024-11-01", "2024-11-29", 1, t -> false));
        november.add(minute("DUP", newYork("2024-11-12 10:00"), 250));
        november.add(new MinuteRow(new MinuteBar(Ticker.of("DUP"), newYork("2024-11-13 08:01"), 10, 9, 11, 10, 5, null, null),
                INGESTED));
        november.add(minute("DUP", newYork("2024-12-02 09:30"), 100));
        november.add(minute("DUP", newYork("2024-11-14 21:00"), 100));
        lake.put(MinuteBronzeLake.key(Ticker.of("DUP"), YearMonth.of(2024, 11)), BronzeParquet.writeMinutes(november, Map.of()));
        lake.put(MinuteBronzeLake.key(Ticker.of("DUP"), YearMonth.of(2024, 12)), "not parquet".getBytes());
        merge("DUP", minutes("DUP", "2025-01-02", "2025-01-31", 1, t -> false));

        MinuteVerifier.SymbolReport r = only(verify(Optional.empty(), LocalDate.of(2025, 1, 31), 30));

        assertThat(r.duplicateMinutes().examples()).containsExactly("2024-11-12 10:00: more than one row");
        assertThat(r.invalidMinutes().examples()).hasSize(2);
        assertThat(r.invalidMinutes().examples().get(0)).startsWith("2024-11-13 08:01: ").contains("high 9.0 is below low 11.0");
        assertThat(r.invalidMinutes().examples().get(1)).startsWith("2024-11-14 21:00: ")
                .contains("outside the session's extended hours");
        assertThat(r.misplacedMinutes().examples()).containsExactly("2024-12-02 09:30: in the file of 2024-11, not of its"
                + " session's month");
        assertThat(r.unreadableFiles().examples()).singleElement().asString()
                .startsWith(MinuteBronzeLake.key(Ticker.of("DUP"), YearMonth.of(2024, 12)));
        assertThat(r.files()).as("November and January read").isEqualTo(2);
        assertThat(r.gaps().count()).as("a month that cannot be read is not a month of gaps").isZero();
        assertThat(r.defects()).isEqualTo(1 + 2 + 1 + 1);
    }

    @Test
    void ohlcvMinuteIsComparedWithBronzeInsideTheMinuteWindowOnly() {
        List<MinuteRow> bronze = minutes("LIQ", "2024-11-04", "2024-12-20", 1, t -> false);
        merge("LIQ", bronze);
        Instant cutoff = LocalDate.of(2024, 11, 20).atStartOfDay(NEW_YORK).toInstant();
        Instant dropped = newYork("2024-12-02 09:45");
        Instant changed = newYork("2024-11-25 15:00");
        List<MinuteRow> table = new ArrayList<>();
        for (MinuteRow row : bronze) {
            Instant t = row.bar().start();
            if (t.equals(changed) || t.equals(newYork("2024-11-19 10:00"))) {
                table.add(minute("LIQ", t, 7));
            } else if (!t.equals(dropped)) {
                table.add(row);
            }
        }
        table.add(minute("LIQ", newYork("2024-12-30 10:00"), 100));
        postgres.upsert(table);

        LakeVerifier.Report report = verify(Optional.of(postgres), LocalDate.of(2024, 12, 20), 30);

        MinuteVerifier.SymbolReport r = only(report);
        assertThat(report.minutes().window().cutoffInstant()).isEqualTo(cutoff);
        List<String> diffs = r.postgresDiffs().examples();
        assertThat(diffs).as("the 19th lies before the window").hasSize(3);
        assertThat(diffs.get(0)).startsWith("2024-11-25 15:00: bronze o=100.3 ").contains(", PostgreSQL o=7.0 ");
        assertThat(diffs.subList(1, 3)).containsExactly("2024-12-02 09:45: in bronze, missing from PostgreSQL",
                "2024-12-30 10:00: in PostgreSQL, not in bronze");
        assertThat(report.totals()).containsEntry("minute_postgres_diffs", 3L);
        postgres.upsert(List.of(bronze.stream().filter(m -> m.bar().start().equals(changed)).findFirst().orElseThrow()));
        assertThat(only(verify(Optional.of(postgres), LocalDate.of(2024, 12, 20), 30)).postgresDiffs().count())
                .isEqualTo(2);
        assertThat(only(verify(Optional.of(postgres), LocalDate.of(2024, 12, 20), 5)).postgresDiffs().examples())
                .as("a window from December 15 holds only the extra row").containsExactly(
                        "2024-12-30 10:00: in PostgreSQL, not in bronze");
    }

    @Test
    void theHandlerChecksMinuteOnlySymbolsAndADayLakeReportsNoMinutesAtAll() throws Exception {
        VerifyHandler handler = new VerifyHandler(lake, Optional.empty(), Optional.of(postgres), List.of(5),
                Clock.fixed(Instant.parse("2025-01-06T09:00:00Z"), ZoneOffset.UTC));
        JsonNode empty = handler.invoke(JSON.readTree("{}"));
        assertThat(empty.get("totals").has("minute_symbols")).as("no minute bronze, no minute totals").isFalse();
        assertThat(JSON.readTree(lake.get(empty.get("report_key").asText()).orElseThrow()).has("minutes")).isFalse();

        merge("LIQ", minutes("LIQ", "2024-12-02", "2024-12-31", 1, t -> t.equals(newYork("2024-12-04 11:00"))));
        JsonNode out = handler.invoke(JSON.readTree("{\"symbols\": [\"LIQ\"], \"as_of\": \"2024-12-31\","
                + " \"minute_retention_days\": 10}"));

        assertThat(out.get("clean").asBoolean()).isFalse();
        assertThat(out.at("/totals/symbols").asLong()).as("LIQ has no day bronze").isZero();
        assertThat(out.at("/totals/minute_gaps").asLong()).isEqualTo(1);
        assertThat(out.at("/totals/minute_postgres_diffs").asLong()).as("ohlcv_minute is empty: the window's minutes")
                .isEqualTo(CALENDAR.sessions(DateRange.parse("2024-12-21", "2024-12-31")).size() * 391L - 180);
        JsonNode report = JSON.readTree(lake.get(out.get("report_key").asText()).orElseThrow());
        assertThat(report.at("/minutes/postgres_from").asText()).isEqualTo("2024-12-21");
        assertThat(report.at("/minutes/symbols/0/gaps/examples/0").asText()).isEqualTo("2024-12-04 11:00-11:01: 1 minute missing");
        assertThat(report.at("/notes").toString()).doesNotContain("nothing checked").doesNotContain("silver");
        assertThatThrownBy(() -> handler.invoke(JSON.readTree("{\"minute_retention_days\": 0}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minute_retention_days: 0 is outside 1..3660");
        assertThatThrownBy(() -> handler.invoke(JSON.readTree("{\"symbols\": [\"MSFT\"]}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("MSFT is not in the lake");
    }
}
