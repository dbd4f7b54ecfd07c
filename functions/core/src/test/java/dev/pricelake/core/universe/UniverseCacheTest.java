package dev.pricelake.core.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniverseCacheTest {
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final List<ReferenceSource.TickerQuery> queries = new ArrayList<>();
    private Instant now = Instant.parse("2026-11-20T11:00:00Z");

    private final ReferenceSource source = new ReferenceSource() {
        @Override
        public Listing tickers(TickerQuery query) {
            queries.add(query);
            List<ListedTicker> all = List.of(new ListedTicker(Ticker.of("AAA"), "A", "CS", "XNYS", true),
                    new ListedTicker(Ticker.of("BBB"), "B", "CS", "XNAS", true),
                    new ListedTicker(Ticker.of("SPY"), "S", "ETF", "ARCX", true),
                    new ListedTicker(Ticker.of("AAA"), "A (old)", "CS", "XNYS", false),
                    new ListedTicker(Ticker.of("GONE"), "G", "CS", "XNYS", false));
            return new Listing(all.stream().filter(t -> t.active() == query.active())
                    .filter(t -> query.type() == null || t.type().equals(query.type())).toList(), List.of("bad^sym"));
        }

        @Override
        public Optional<TickerDetails> details(Ticker ticker) {
            return Optional.empty();
        }

        @Override
        public List<Split> splits(Ticker ticker) {
            return List.of();
        }
    };

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
        assertThat(queries).hasSize(1);
        now = now.plus(Duration.ofHours(2));
        assertThat(cache().get(cs, false).fromCache()).isFalse();
        assertThat(cache().get(cs, true).fromCache()).isFalse();
        assertThat(queries).hasSize(3);
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
        assertThat(queries).hasSize(1);
    }
}
