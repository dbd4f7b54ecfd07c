package dev.pricelake.core.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniverseCacheTest {
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private Instant now = Instant.parse("2026-11-20T11:00:00Z");
    private final InMemoryReferenceSource source = new InMemoryReferenceSource(List.of(
            new ReferenceSource.ListedTicker(Ticker.of("AAA"), "A", "CS", "XNYS", true),
            new ReferenceSource.ListedTicker(Ticker.of("BBB"), "B", "CS", "XNAS", true),
            new ReferenceSource.ListedTicker(Ticker.of("SPY"), "S", "ETF", "ARCX", true),
            new ReferenceSource.ListedTicker(Ticker.of("AAA"), "A (old)", "CS", "XNYS", false),
            new ReferenceSource.ListedTicker(Ticker.of("GONE"), "G", "CS", "XNYS", false)), List.of("bad^sym"));

    private UniverseCache cache() {
        return new UniverseCache(source, lake, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aCopyYoungerThanADayIsUsedAndAnOlderOneIsFetchedAgain() {
        Universe.Query cs = Universe.Query.parse("universe", "cs", false);
        Universe first = cache().get(cs, false);
        assertThat(first.fromCache()).isFalse();
        assertThat(first.tickers()).extracting(t -> t.ticker().value()).containsExactly("AAA", "BBB");
        now = now.plus(Duration.ofHours(23));
        Universe cached = cache().get(cs, false);
        assertThat(cached.fromCache()).isTrue();
        assertThat(cached.tickers()).isEqualTo(first.tickers());
        assertThat(cached.unrecognizedSymbols()).containsExactly("bad^sym");
        assertThat(source.queries()).hasSize(1);
        now = now.plus(Duration.ofHours(2));
        assertThat(cache().get(cs, false).fromCache()).isFalse();
        assertThat(cache().get(cs, true).fromCache()).isFalse();
        assertThat(source.queries()).hasSize(3);
    }

    @Test
    void delistedTickersJoinOnRequestAndAnActiveListingWinsItsSymbol() {
        Universe u = cache().get(Universe.Query.parse("universe", "cs,etf", true), false);
        assertThat(u.tickers()).extracting(t -> t.ticker().value() + (t.active() ? "" : "(delisted)"))
                .containsExactly("AAA", "BBB", "GONE(delisted)", "SPY");
        assertThat(u.countsByTypeAndExchange()).isEqualTo(Map.of("CS", Map.of("XNYS", 2L, "XNAS", 1L), "ETF", Map.of("ARCX", 1L)));
        assertThat(lake.list(UniverseCache.PREFIX)).containsExactly("reference/universe/cs-etf-with-delisted.json");
        assertThat(Universe.Query.parse("universe", "all", false).types()).isEqualTo(Set.of());
    }

    @Test
    void aDamagedCopyIsFetchedAgainRatherThanTrusted() {
        Universe.Query cs = Universe.Query.parse("universe", "cs", false);
        lake.put(UniverseCache.key(cs), "{\"fetched_at\": \"yesterday\"".getBytes(StandardCharsets.UTF_8));
        assertThat(cache().get(cs, false).fromCache()).isFalse();
        assertThat(source.queries()).hasSize(1);
    }
}
