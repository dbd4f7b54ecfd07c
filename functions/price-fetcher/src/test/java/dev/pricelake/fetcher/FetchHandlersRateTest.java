package dev.pricelake.fetcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.WriterLease;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A run's requests_per_minute reaches the source of both fetch steps; without one, the source stays as built. */
class FetchHandlersRateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    /** The rate each call went out at; null for the rate the source was built with. */
    private final List<Integer> callsAt = new ArrayList<>();
    private final SplittableRandom runIds = new SplittableRandom(2);

    private PriceSource at(Integer rate) {
        return new PriceSource() {
            @Override
            public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
                callsAt.add(rate);
                return List.of();
            }

            @Override
            public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
                callsAt.add(rate);
                return new GroupedDay(date, List.of(new Bar(Ticker.of("AAA"), date, 1, 1, 1, 1, 1, null, null)), List.of());
            }

            @Override
            public PriceSource atRate(Integer requestsPerMinute) {
                return requestsPerMinute == null ? this : at(requestsPerMinute);
            }
        };
    }

    /** A run in its first attempt, holding the lake's writer lease as SelectTickers leaves it. */
    private RunId run() {
        RunId run = RunId.backfill(CLOCK.instant(), runIds);
        progress.createRun(new RunRecord(run, "{}", List.of(Ticker.of("AAA")), RunStatus.RUNNING, 0, CLOCK.instant(), null,
                Map.of(), null), Map.of(Ticker.of("AAA"), 0));
        progress.lease().ifPresent(held -> progress.releaseLease(held.holder()));
        progress.acquireLease(run, CLOCK.instant(), WriterLease.TTL);
        progress.beginAttempt(run, CLOCK.instant());
        return run;
    }

    @Test
    void fetchPricesCallsAtTheBatchsRate() {
        FetchPricesHandler handler = new FetchPricesHandler(at(null), progress, lake, CLOCK);
        DateRange week = DateRange.parse("2024-03-04", "2024-03-08");
        RunId run = run();
        handler.invoke(Events.toJson(new Batch(run, 1, 0, List.of(Ticker.of("AAA")), week, true, null, FetchMethod.RANGE, 0, 100)));
        RunId other = run();
        handler.invoke(Events.toJson(new Batch(other, 1, 0, List.of(Ticker.of("AAA")), week, true, null)));
        assertThat(callsAt).containsExactly(100, null);
    }

    @Test
    void fetchSessionsCallsAtTheRunsRate() throws Exception {
        FetchSessionsHandler handler = new FetchSessionsHandler(at(null), progress, lake, CLOCK);
        RunId run = run();
        lake.put("staging/batches.json", JSON.writeValueAsBytes(List.of(Events.toJson(new Batch(run, 1, 0,
                List.of(Ticker.of("AAA")), DateRange.parse("2024-03-04", "2024-03-05"), true, null, FetchMethod.GROUPED, 0, null)))));
        handler.invoke(JSON.readTree("{\"run_id\":\"" + run + "\",\"epoch\":1,\"batches_key\":\"staging/batches.json\","
                + "\"start\":\"2024-03-04\",\"end\":\"2024-03-05\",\"requests_per_minute\":7}"));
        assertThat(callsAt).containsExactly(7, 7);
    }
}
