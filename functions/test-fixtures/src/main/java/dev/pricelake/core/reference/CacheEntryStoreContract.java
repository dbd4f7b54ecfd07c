package dev.pricelake.core.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CacheEntryStore} must do; each implementation (the fake, PostgreSQL over JDBC and over the Data API) runs these through a subclass. */
public abstract class CacheEntryStoreContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T1 = Instant.parse("2026-01-05T11:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-06T11:00:00Z");
    private static final Set<String> OWNED = Set.of("stock_universe", "themes");
    private CacheEntryStore store;

    protected abstract CacheEntryStore store();

    @BeforeEach
    void fresh() {
        store = store();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static CacheEntry entry(String type, String name, String key, String value) {
        return new CacheEntry(type, name, key, json(value));
    }

    private static final CacheEntry MEGA = entry("stock_universe", "market_cap", "mega_cap",
            "{'count': 2, 'tickers': ['MSFT', 'AAPL'], 'stocks': [{'ticker': 'MSFT', 'market_cap': 3100.5}, {'ticker': 'AAPL'}]}");
    private static final CacheEntry AI = entry("themes", "AI", "list", "['NVDA', 'MSFT']");
    private static final CacheEntry SETTINGS = entry("app_settings", "ui", "default", "{'theme': 'dark', 'page_size': 50}");

    @Test
    void replaceRewritesTheOwnedTypesAndKeepsEveryOtherType() {
        store.upsert(List.of(SETTINGS, MEGA, AI, entry("stock_universe", "custom", "mine", "['IBM']")), T1);
        CacheEntry micro = entry("stock_universe", "market_cap", "micro_cap", "{'count': 0, 'tickers': [], 'stocks': []}");

        store.replace(OWNED, List.of(MEGA, micro), T2);

        assertThat(store.list()).containsExactly(
                new CacheEntryStore.Listed(SETTINGS.id(), null, T1),
                new CacheEntryStore.Listed(MEGA.id(), 2, T2),
                new CacheEntryStore.Listed(micro.id(), 0, T2));
        assertThat(store.entry(SETTINGS.id())).contains(SETTINGS);
        assertThat(store.entry(AI.id())).isEmpty();
    }

    @Test
    void aFailedReplaceLeavesTheOldEntries() {
        store.upsert(List.of(MEGA, AI), T1);
        assertThatThrownBy(() -> store.replace(OWNED, List.of(AI, AI), T2)).isInstanceOf(RuntimeException.class);
        assertThat(store.list()).extracting(CacheEntryStore.Listed::id).containsExactly(MEGA.id(), AI.id());
    }

    @Test
    void upsertAddsAndUpdatesInPlace() {
        store.upsert(List.of(MEGA, SETTINGS), T1);
        CacheEntry changed = entry("stock_universe", "market_cap", "mega_cap", "{'count': 1, 'tickers': ['MSFT']}");
        store.upsert(List.of(changed, AI), T2);
        assertThat(store.list()).containsExactly(
                new CacheEntryStore.Listed(SETTINGS.id(), null, T1),
                new CacheEntryStore.Listed(MEGA.id(), 1, T2),
                new CacheEntryStore.Listed(AI.id(), 2, T2));
        assertThat(store.entry(MEGA.id())).contains(changed);
    }

    @Test
    void membersInOrderForListsAndObjectsAndNoneForOtherEntries() {
        store.upsert(List.of(MEGA, AI, SETTINGS), T1);
        assertThat(store.members(MEGA.id())).contains(List.of("MSFT", "AAPL"));
        assertThat(store.members(AI.id())).contains(List.of("NVDA", "MSFT"));
        assertThat(store.members(SETTINGS.id())).contains(List.of());
        assertThat(store.members(new CacheEntry.Id("themes", "Space", "list"))).isEmpty();
    }

    @Test
    protected void largeValuesTravelWholeEvenWhereARowIsLimitedTo64KiB() {
        ObjectNode big = JSON.createObjectNode();
        ArrayNode tickers = big.putArray("tickers");
        ArrayNode stocks = big.putArray("stocks");
        for (int i = 0; i < 12_000; i++) {
            tickers.add("S" + i);
            stocks.addObject().put("ticker", "S" + i).put("name", "Stock número " + i).put("market_cap", i + 0.5);
        }
        big.put("count", 12_000);
        CacheEntry all = new CacheEntry("stock_universe", "complete", "top_12000", big);
        store.replace(OWNED, List.of(all), T1);

        Optional<CacheEntry> read = store.entry(all.id());
        assertThat(read).contains(all);
        assertThat(store.members(all.id()).orElseThrow()).hasSize(12_000).startsWith("S0", "S1").endsWith("S11999");
        assertThat(store.list().getFirst().count()).isEqualTo(12_000);
    }
}
