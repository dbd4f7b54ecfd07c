package dev.pricelake.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reference data from a fixed list, for tests; it records the listing queries it answered. */
public final class InMemoryReferenceSource implements ReferenceSource {
    private final List<ListedTicker> listed;
    private final List<String> unrecognizedSymbols;
    private final List<TickerQuery> queries = new ArrayList<>();

    public InMemoryReferenceSource(List<ListedTicker> listed, List<String> unrecognizedSymbols) {
        this.listed = List.copyOf(listed);
        this.unrecognizedSymbols = List.copyOf(unrecognizedSymbols);
    }

    public InMemoryReferenceSource(List<ListedTicker> listed) {
        this(listed, List.of());
    }

    /** The listing queries answered so far, in order. */
    public synchronized List<TickerQuery> queries() {
        return List.copyOf(queries);
    }

    @Override
    public synchronized Listing tickers(TickerQuery query) {
        queries.add(query);
        return new Listing(listed.stream().filter(t -> t.active() == query.active())
                .filter(t -> query.type() == null || query.type().equals(t.type())).toList(), unrecognizedSymbols);
    }

    @Override
    public Optional<TickerDetails> details(Ticker ticker) {
        return listed.stream().filter(t -> t.ticker().equals(ticker)).findFirst().map(t -> new TickerDetails(t.ticker(),
                t.name(), t.type(), t.primaryExchange(), t.active(), null, null, null, null, null, null, null, null, null));
    }
}
