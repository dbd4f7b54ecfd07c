package dev.pricelake.selector;

import static dev.pricelake.adapters.polygon.PolygonConfig.FREE_PLAN_REQUESTS_PER_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.InMemoryCorporateActionSource;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The daily run of minute bars: which symbols it catches up, from which session, to which, under which name. The lake
 * is in late May 2024: Memorial Day (May 27) is a holiday, and as_of Friday May 31 makes Thursday May 30 the last
 * closed session.
 */
class DailyMinutePlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-03T11:00:00Z"), ZoneOffset.UTC);
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final TickerSelector selector = new TickerSelector(progress, new InMemoryReferenceSource(List.of()),
            new InMemoryCorporateActionSource(), Optional.empty(), Optional.empty(), Optional.empty(), lake,
            JSON.createObjectNode().put("url", "http://127.0.0.1:1"), FREE_PLAN_REQUESTS_PER_MINUTE, CLOCK,
            new SplittableRandom(5));

    private Selection daily(String json) throws Exception {
        JsonNode input = JSON.readTree(json.replace('\'', '"'));
        return selector.daily(DailyRequest.parse(input, CLOCK), Optional.empty());
    }

    /** One stored minute of the symbol, at this UTC instant. */
    private void minuteAt(String symbol, String utc) {
        Ticker ticker = Ticker.of(symbol);
        new MinuteBronzeLake(lake).merge(ticker, List.of(new MinuteRow(
                new MinuteBar(ticker, Instant.parse(utc), 10, 11, 9, 10, 100, null, null), CLOCK.instant())), Map.of());
    }

    private void minuteLake() {
        minuteAt("AAA", "2024-05-10T14:00:00Z");
        minuteAt("AAA", "2024-05-24T19:59:00Z"); // Friday 15:59 in New York: next comes Tuesday the 28th
        minuteAt("BBB", "2024-04-30T19:59:00Z");
        minuteAt("BBB", "2024-05-29T13:30:00Z");
        // Wednesday 20:30 in New York is Thursday in UTC: the session stored is the 29th, so the 30th is missing.
        minuteAt("CCC", "2024-05-30T00:30:00Z");
        minuteAt("DDD", "2024-05-30T19:59:00Z"); // caught up
    }

    @Test
    void eachMinuteSymbolFromTheSessionAfterItsLastStoredMinuteAndNewTickersFromTheRetentionWindow() throws Exception {
        minuteLake();
        Selection s = daily("{'mode':'daily','as_of':'2024-05-31','timespan':'minute','tickers':['NEW','AAA']}");

        assertThat(s.done()).isFalse();
        assertThat(s.runId()).hasToString("daily-minute-20240531");
        assertThat(s.sessions()).isEmpty();
        assertThat(s.batches()).hasSize(1);
        Batch batch = s.batches().getFirst();
        assertThat(batch.timespan()).isEqualTo(Timespan.MINUTE);
        assertThat(batch.fetch()).isEqualTo(FetchMethod.RANGE);
        assertThat(batch.minuteRetentionDays()).isEqualTo(30);
        assertThat(batch.tickers()).extracting(Ticker::value).containsExactlyInAnyOrder("AAA", "BBB", "CCC", "NEW");
        // NEW: 30 calendar days before May 31 is May 1, a Wednesday session.
        assertThat(batch.rangeOf(Ticker.of("NEW"))).hasToString("2024-05-01..2024-05-30");
        assertThat(batch.rangeOf(Ticker.of("AAA"))).hasToString("2024-05-28..2024-05-30");
        assertThat(batch.rangeOf(Ticker.of("BBB"))).hasToString("2024-05-30..2024-05-30");
        assertThat(batch.rangeOf(Ticker.of("CCC"))).hasToString("2024-05-30..2024-05-30");
        // One range call per ticker: May alone is within two months.
        assertThat(s.plans()).singleElement().satisfies(p -> {
            assertThat(p.calls()).isEqualTo(4);
            assertThat(p.sessions()).isEqualTo(21);
        });
        JsonNode stored = JSON.readTree(progress.run(s.runId()).orElseThrow().input());
        assertThat(stored.path("timespan").asText()).isEqualTo("minute");
        assertThat(stored.path("minute_retention_days").asInt()).isEqualTo(30);
    }

    @Test
    void aRepeatedTriggerDoesNothingTheDayRunKeepsItsOwnNameAndAResumeKeepsTheMinutes() throws Exception {
        minuteLake();
        Selection first = daily("{'mode':'daily','as_of':'2024-05-31','timespan':'minute'}");
        progress.releaseLease(first.runId());

        Selection again = daily("{'mode':'daily','as_of':'2024-05-31','timespan':'minute'}");
        assertThat(again.done()).isTrue();
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(again.message()).contains("already exists");

        Selection dayRun = daily("{'mode':'daily','as_of':'2024-05-31'}");
        assertThat(dayRun.runId()).hasToString("daily-20240531");

        Selection resumed = selector.select(BackfillRequest.parse(JSON.readTree("{\"run_id\": \"daily-minute-20240531\"}")),
                Optional.empty());
        assertThat(resumed.batches()).singleElement().satisfies(b -> {
            assertThat(b.timespan()).isEqualTo(Timespan.MINUTE);
            assertThat(b.rangeOf(Ticker.of("AAA"))).hasToString("2024-05-28..2024-05-30");
        });
        progress.releaseLease(resumed.runId());

        Selection forced = daily("{'mode':'daily','as_of':'2024-05-31','timespan':'minute','force':true}");
        assertThat(forced.runId()).hasToString("daily-minute-20240531-2");
    }

    @Test
    void fromFlatFilesEveryMissingSessionIsOneFileFromTheEarliestStart() throws Exception {
        minuteLake();
        Selection s = daily("{'mode':'daily','as_of':'2024-05-31','timespan':'minute','flat_files':true}");
        assertThat(s.sessions()).hasValueSatisfying(f -> {
            assertThat(f.flatFiles()).isTrue();
            assertThat(f.range()).hasToString("2024-05-28..2024-05-30");
        });
        assertThat(s.batches()).singleElement().satisfies(b -> assertThat(b.fetch()).isEqualTo(FetchMethod.GROUPED));
        assertThat(s.plans().getFirst().calls()).isEqualTo(3);
    }

    @Test
    void nothingMissingRecordsNoRun() throws Exception {
        minuteAt("DDD", "2024-05-30T19:59:00Z");
        Selection s = daily("{'mode':'daily','as_of':'2024-05-31','timespan':'minute'}");
        assertThat(s.done()).isTrue();
        assertThat(s.message()).contains("caught up");
        assertThat(progress.run(RunId.dailyMinute(LocalDate.of(2024, 5, 31)))).isEmpty();
    }

    @Test
    void inputChecksNameTheField() {
        assertThatThrownBy(() -> daily("{'mode':'daily','timespan':'hour'}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("timespan"));
        assertThatThrownBy(() -> daily("{'mode':'daily','tickers':['AAA']}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("tickers"));
        assertThatThrownBy(() -> daily("{'mode':'daily','minute_retention_days':10}"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("minute_retention_days"));
        assertThatThrownBy(() -> daily("{'mode':'daily','timespan':'minute','universe':'cs'}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("timespan"));
        assertThatThrownBy(() -> daily("{'mode':'daily','timespan':'minute','minute_retention_days':0}"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("minute_retention_days"));
    }
}
