package dev.pricelake.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.core.Bar;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.ReferenceSource.ListedTicker;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.reference.EtfClassifier;
import dev.pricelake.core.reference.InMemorySymbolStore;
import dev.pricelake.core.reference.MarketCapTiers;
import dev.pricelake.core.reference.SicTable;
import dev.pricelake.core.reference.Symbol;
import dev.pricelake.core.reference.SymbolRefresh;
import dev.pricelake.core.universe.Universe;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which details a refresh fetches, and the settings a deployed function reads. */
class SymbolRefreshTest {
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private final InMemorySymbolStore symbols = new InMemorySymbolStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final List<Ticker> asked = new ArrayList<>();

    /** The listing, recording which details are asked for. */
    private ReferenceSource source() {
        InMemoryReferenceSource listing = new InMemoryReferenceSource(List.of(
                new ListedTicker(Ticker.of("FRESH"), "Fresh Inc.", "CS", "XNYS", true),
                new ListedTicker(Ticker.of("STALE"), "Stale Inc.", "CS", "XNYS", true),
                new ListedTicker(Ticker.of("NEW"), "New Inc.", "CS", "XNAS", true)));
        return new ReferenceSource() {
            public Listing tickers(TickerQuery query) {
                return listing.tickers(query);
            }

            public Optional<TickerDetails> details(Ticker ticker) {
                asked.add(ticker);
                return Optional.of(new TickerDetails(ticker, ticker + " Corp", "CS", "XNYS", true, 1e9, "3674", "SEMICONDUCTORS",
                        null, null, null, null, 1_000_000L, null));
            }
        };
    }

    private static Symbol fetched(String ticker, boolean active, Instant detailsAt) {
        return new Symbol(Ticker.of(ticker), ticker + " Inc.", "CS", "XNYS", active, null, null, null, null, "3674", null,
                null, null, 1_000_000L, 1e9, 1e9, null, null, null, null, detailsAt, detailsAt);
    }

    @Test
    void onlyNewStaleVanishedAndLakeOnlySymbolsCostACall() {
        symbols.upsert(List.of(fetched("FRESH", true, NOW.minus(Duration.ofDays(2))),
                fetched("STALE", true, NOW.minus(Duration.ofDays(40))),
                fetched("GONE", true, NOW.minus(Duration.ofDays(2))),
                fetched("DELISTED", false, NOW.minus(Duration.ofDays(400)))), NOW.minus(Duration.ofDays(2)));
        new BronzeLake(lake).merge(Ticker.of("LAKEONLY"), List.of(new BronzeRow(new Bar(Ticker.of("LAKEONLY"),
                LocalDate.of(2026, 1, 2), 10, 11, 9, 10.5, 1000, null, null), NOW)));
        new BronzeLake(lake).merge(Ticker.of("FRESH"), List.of(new BronzeRow(new Bar(Ticker.of("FRESH"),
                LocalDate.of(2026, 1, 2), 20, 21, 19, 20.5, 1000, null, null), NOW)));

        SymbolRefresh.Result r = new SymbolRefresh(source(), symbols, new InMemoryProgressStore(), lake,
                Clock.fixed(NOW, ZoneOffset.UTC), new SplittableRandom(1)).refresh(new SymbolRefresh.Request(
                Universe.Query.parse("types", "cs", false), Duration.ofDays(30), SicTable.bundled(), EtfClassifier.bundled(),
                null), line -> { });

        assertThat(asked).as("the lake-only symbol and the new listing first, then the oldest details")
                .containsExactly(Ticker.of("LAKEONLY"), Ticker.of("NEW"), Ticker.of("STALE"), Ticker.of("GONE"));
        assertThat(r.detailsNeeded()).isEqualTo(4);
        Symbol fresh = symbols.all().stream().filter(s -> s.ticker().value().equals("FRESH")).findFirst().orElseThrow();
        assertThat(fresh.marketCap()).as("1,000,000 shares at the lake's close").isEqualTo(20.5e6);
        assertThat(fresh.sector()).isEqualTo("Technology");
        assertThat(fresh.industry()).isEqualTo("Semiconductors");
        assertThat(lake.get("reference/symbols/data.parquet")).isPresent();
    }

    @Test
    void aDeployedFunctionUsesTheUsersFilesInTheLakeAndNamesABadSetting() {
        lake.put("config/themes.txt", "Robots: ISRG, TER\n".getBytes(StandardCharsets.UTF_8));
        lake.put("rules/mine.csv", "sic_from,sic_to,sector,industry\n3674,3674,Chips,Chips\n".getBytes(StandardCharsets.UTF_8));
        ReferenceSettings settings = ReferenceSettings.fromEnvironment(new FunctionEnvironment(Map.of(
                "SIC_TABLE_KEY", "rules/mine.csv", "MARKET_CAP_TIERS", "100B,5B,1B,100M", "DETAILS_MAX_AGE_DAYS", "7")), lake);
        assertThat(settings.themes().get().tickers()).containsOnlyKeys("Robots");
        assertThat(settings.sic().get().classify("3674")).contains(new SicTable.Classification("Chips", "Chips"));
        assertThat(settings.etfRules().get().classify("SPDR S&P 500 ETF Trust").etfType()).isEqualTo("broad_market");
        assertThat(settings.tiers()).isEqualTo(new MarketCapTiers(100e9, 5e9, 1e9, 100e6));
        assertThat(settings.maxDetailsAge()).isEqualTo(Duration.ofDays(7));

        lake.put("rules/mine.csv", "sic_from,sic_to,sector,industry\n3674,36x4,Chips,Chips\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> settings.sic().get()).hasMessageStartingWith("s3 object rules/mine.csv line 2: sic_to");
        assertThatThrownBy(() -> ReferenceSettings.fromEnvironment(new FunctionEnvironment(Map.of("DETAILS_MAX_AGE_DAYS",
                "a month")), lake)).hasMessage("DETAILS_MAX_AGE_DAYS: 'a month' is not a whole number of days");
    }
}
