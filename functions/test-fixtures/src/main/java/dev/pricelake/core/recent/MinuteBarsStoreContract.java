package dev.pricelake.core.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.MinuteRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MinuteBarsStore} must do; each implementation (the fake, PostgreSQL's ohlcv_minute over JDBC and
 * over the Data API) runs these through a subclass whose {@link #store()} starts from an empty table.
 */
public abstract class MinuteBarsStoreContract {
    private static final Instant T1 = Instant.parse("2026-01-05T11:00:00.123456Z");
    private static final Instant T2 = Instant.parse("2026-01-06T11:00:00Z");
    private static final Instant EVER = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant NEVER = Instant.parse("2100-01-01T00:00:00Z");
    private MinuteBarsStore store;

    /** The store under test, holding no minute. */
    protected abstract MinuteBarsStore store();

    @BeforeEach
    void fresh() {
        store = store();
    }

    /** A session's regular hours of one symbol from 09:30 New York (14:30 UTC in winter), some without vwap or trades. */
    private static List<MinuteRow> session(String symbol, String day, int minutes, Instant ingested) {
        List<MinuteRow> out = new ArrayList<>();
        Instant open = Instant.parse(day + "T14:30:00Z");
        for (int i = 0; i < minutes; i++) {
            double price = 100 + i * 0.01;
            out.add(new MinuteRow(new MinuteBar(Ticker.of(symbol), open.plus(Duration.ofMinutes(i)), price, price + 0.5,
                    price - 0.5, price + 0.25, 10.5 + i, i % 2 == 0 ? null : price, i % 3 == 0 ? null : (long) i), ingested));
        }
        return out;
    }

    private List<MinuteRow> all(String... symbols) {
        List<MinuteRow> out = new ArrayList<>();
        for (String symbol : symbols) {
            out.addAll(store.rows(Ticker.of(symbol), EVER, NEVER));
        }
        return out;
    }

    @Test
    void theSameMinutesAgainChangeNothingAndAChangedMinuteWins() {
        List<MinuteRow> first = new ArrayList<>(session("ABC", "2024-12-02", 30, T1));
        first.addAll(session("XYZ", "2024-12-02", 5, T1));
        assertThat(store.upsert(first)).isEqualTo(35);
        assertThat(all("ABC", "XYZ")).as("every value, nulls and instants (to the microsecond) as written").isEqualTo(first);

        List<MinuteRow> again = new ArrayList<>(session("ABC", "2024-12-02", 30, T2));
        MinuteBar moved = again.get(3).bar();
        again.set(3, new MinuteRow(new MinuteBar(moved.symbol(), moved.start(), 1, 2, 0.5, 1.5, 7, null, null), T2));
        store.upsert(again);

        List<MinuteRow> expected = new ArrayList<>(first);
        expected.set(3, again.get(3));
        assertThat(all("ABC", "XYZ")).as("only the changed minute is rewritten, with its new ingested_at").isEqualTo(expected);
        assertThat(store.count()).isEqualTo(35);
        assertThat(store.upsert(List.of())).isZero();
    }

    @Test
    void rowsAreTheSymbolsMinutesFromTheFirstInstantUpToButNotIncludingTheLast() {
        List<MinuteRow> rows = new ArrayList<>(session("ABC", "2024-12-02", 60, T1));
        rows.addAll(session("ABD", "2024-12-02", 60, T1));
        store.upsert(rows);

        List<MinuteRow> read = store.rows(Ticker.of("ABC"), Instant.parse("2024-12-02T14:40:00Z"),
                Instant.parse("2024-12-02T14:50:00Z"));

        assertThat(read).as("minutes 10 to 19 of ABC, oldest first").isEqualTo(rows.subList(10, 20));
        assertThat(store.rows(Ticker.of("ABE"), EVER, NEVER)).isEmpty();
        assertThat(store.rows(Ticker.of("ABC"), Instant.parse("2024-12-02T14:40:00Z"), Instant.parse("2024-12-02T14:40:00Z")))
                .isEmpty();
    }

    @Test
    void deletingOlderThanACutoffRemovesExactlyTheEarlierMinutesOnce() {
        List<MinuteRow> rows = new ArrayList<>(session("ABC", "2024-12-02", 60, T1));
        rows.addAll(session("ABC", "2024-12-03", 60, T1));
        rows.addAll(session("XYZ", "2024-12-03", 60, T1));
        store.upsert(rows);
        Instant cutoff = Instant.parse("2024-12-03T15:00:00Z");
        List<MinuteRow> staying = rows.stream().filter(r -> !r.bar().start().isBefore(cutoff)).toList();
        assertThat(rows.size() - staying.size()).as("a session and a half hour of each symbol").isEqualTo(60 + 30 + 30);

        assertThat(store.deleteOlderThan(cutoff)).isEqualTo(rows.size() - staying.size());
        assertThat(all("ABC", "XYZ")).as("the minute at the cutoff stays, of both symbols").isEqualTo(staying);
        assertThat(store.count()).isEqualTo(staying.size());
        assertThat(store.deleteOlderThan(cutoff)).as("a second run deletes nothing").isZero();
        assertThat(store.count()).isEqualTo(staying.size());
    }
}
