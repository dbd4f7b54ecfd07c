package dev.pricelake.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Port to reference data: which tickers exist and their details (corporate actions: {@code actions.CorporateActionSource}). */
public interface ReferenceSource {
    /** Every ticker matching the query, all pages. */
    Listing tickers(TickerQuery query);

    /** Details of one ticker, or empty when the source does not know it. */
    Optional<TickerDetails> details(Ticker ticker);

    /** @param type Polygon's ticker type (CS, ETF, ...) or null for every type */
    record TickerQuery(String type, boolean active) {
    }

    /** Symbols that are not valid {@link Ticker}s are reported, not dropped, so a caller can count them. */
    record Listing(List<ListedTicker> tickers, List<String> unrecognizedSymbols) {
        public Listing {
            tickers = List.copyOf(tickers);
            unrecognizedSymbols = List.copyOf(unrecognizedSymbols);
        }
    }

    record ListedTicker(Ticker ticker, String name, String type, String primaryExchange, boolean active) {
    }

    /**
     * Polygon's ticker details; every field but the ticker may be missing.
     *
     * @param shareClassSharesOutstanding the class's shares outstanding
     * @param weightedSharesOutstanding   every class's shares, as the issuer reports them
     */
    record TickerDetails(Ticker ticker, String name, String type, String primaryExchange, boolean active,
                         Double marketCap, String sicCode, String sicDescription, LocalDate listDate,
                         Instant delistedUtc, String cik, String compositeFigi, Long shareClassSharesOutstanding,
                         Long weightedSharesOutstanding) {
    }
}
