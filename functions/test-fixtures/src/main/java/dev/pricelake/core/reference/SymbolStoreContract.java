package dev.pricelake.core.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.ReferenceSource.ListedTicker;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link SymbolStore} must do; each implementation (the fake, PostgreSQL over JDBC and over the Data API) runs these through a subclass. */
public abstract class SymbolStoreContract {
    static final Instant T1 = Instant.parse("2026-01-05T11:00:00.123456Z");
    static final Instant T2 = Instant.parse("2026-01-06T11:00:00Z");
    static final Instant T3 = Instant.parse("2026-01-07T11:00:00Z");
    private SymbolStore store;

    protected abstract SymbolStore store();

    @BeforeEach
    void fresh() {
        store = store();
    }

    static Symbol apple() {
        return new Symbol(Ticker.of("AAPL"), "Apple Inc.", "CS", "XNAS", true, LocalDate.of(1980, 12, 12), null, "0000320193",
                "BBG000B9XRY4", "3571", "ELECTRONIC COMPUTERS", "Technology", "Computer Hardware", 16_319_440_000L,
                3.1e12, 2_488_795_282_370.0, 190.25, LocalDate.of(2026, 1, 2), null, null,
                Instant.parse("2026-01-04T10:00:00.654321Z"), T1);
    }

    static Symbol delistedEtf() {
        return new Symbol(Ticker.of("OLDX"), "Old Fund ETF", "ETF", "ARCX", false, null, Instant.parse("2021-03-01T00:00:00Z"),
                null, null, null, null, null, null, null, null, null, null, null, "other", null, null, T1);
    }

    @Test
    void rowsReadBackAsWrittenWithEveryColumnAndNull() {
        store.upsert(List.of(apple(), delistedEtf()), T1);
        assertThat(store.all()).containsExactly(apple(), delistedEtf());
    }

    @Test
    void writingTheSameRowsAgainChangesNothingAndAChangeMovesUpdatedAt() {
        store.upsert(List.of(apple(), delistedEtf()), T1);
        store.upsert(List.of(apple().withUpdatedAt(T3), delistedEtf()), T2);
        assertThat(store.all()).extracting(Symbol::updatedAt).containsExactly(T1, T1);

        Symbol renamed = apple().withListing("Apple", "CS", "XNAS", true);
        store.upsert(List.of(renamed), T2);
        assertThat(store.all().getFirst()).isEqualTo(renamed.withUpdatedAt(T2));
    }

    @Test
    void aListingAddsNewSymbolsAwaitingDetailsAndUpdatesOnlyItsOwnColumns() {
        store.upsert(List.of(apple()), T1);
        store.upsertListings(List.of(new ListedTicker(Ticker.of("AAPL"), "Apple Inc.", "CS", "XNAS", true),
                new ListedTicker(Ticker.of("NEWCO"), "New Co", "CS", "XNYS", true)), T2);
        List<Symbol> all = store.all();
        assertThat(all.get(0)).as("an unchanged listing leaves the row alone").isEqualTo(apple());
        assertThat(all.get(1)).isEqualTo(Symbol.listed(Ticker.of("NEWCO"), "New Co", "CS", "XNYS", true, T2));
        assertThat(all.get(1).detailsUpdatedAt()).isNull();

        store.upsertListings(List.of(new ListedTicker(Ticker.of("AAPL"), "Apple Inc.", "CS", "XNYS", false)), T3);
        assertThat(store.all().getFirst()).isEqualTo(apple().withListing("Apple Inc.", "CS", "XNYS", false).withUpdatedAt(T3));
    }

    @Test
    void closesMoveOnlyForwardAndGiveTheMarketCap() {
        Symbol noShares = Symbol.listed(Ticker.of("NOSH"), "No Shares", "CS", "XNYS", true, T1);
        noShares = new Symbol(noShares.ticker(), noShares.name(), noShares.type(), noShares.primaryExchange(), true, null,
                null, null, null, null, null, null, null, null, 5e8, 5e8, null, null, null, null, T1, T1);
        store.upsert(List.of(apple(), noShares), T1);

        store.recordCloses(List.of(new SymbolStore.Close(Ticker.of("AAPL"), LocalDate.of(2026, 1, 5), 200.0),
                new SymbolStore.Close(Ticker.of("NOSH"), LocalDate.of(2026, 1, 5), 12.0),
                new SymbolStore.Close(Ticker.of("GHOST"), LocalDate.of(2026, 1, 5), 1.0)), T2);
        List<Symbol> all = store.all();
        assertThat(all).extracting(s -> s.ticker().value()).containsExactly("AAPL", "NOSH");
        assertThat(all.get(0).marketCap()).isEqualTo(16_319_440_000L * 200.0);
        assertThat(all.get(0).lastCloseDate()).isEqualTo(LocalDate.of(2026, 1, 5));
        assertThat(all.get(0).updatedAt()).isEqualTo(T2);
        assertThat(all.get(1).marketCap()).as("unknown shares: the source's cap").isEqualTo(5e8);
        assertThat(all.get(1).lastClose()).isEqualTo(12.0);

        store.recordCloses(List.of(new SymbolStore.Close(Ticker.of("AAPL"), LocalDate.of(2025, 12, 31), 150.0)), T3);
        assertThat(store.all().getFirst().lastClose()).as("an older close never replaces a newer one").isEqualTo(200.0);
        assertThat(store.all().getFirst().updatedAt()).isEqualTo(T2);
    }

    @Test
    void manyRowsComeBackInTickerOrder() {
        List<Symbol> rows = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            rows.add(Symbol.listed(Ticker.of("T" + i + (i % 7 == 0 ? ".A" : "")), "Company " + i, "CS", "XNAS", true, T1));
        }
        rows.add(Symbol.listed(Ticker.of("KIMpL"), "Kimco preferred", "PFD", "XNYS", true, T1));
        store.upsert(rows, T1);
        assertThat(store.all()).isEqualTo(rows.stream().sorted((a, b) -> a.ticker().compareTo(b.ticker())).toList());
    }
}
