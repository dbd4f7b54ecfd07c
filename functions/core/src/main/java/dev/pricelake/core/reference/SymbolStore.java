package dev.pricelake.core.reference;

import dev.pricelake.core.ReferenceSource.ListedTicker;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Port to the {@code symbols} table (PostgreSQL through JDBC or the RDS Data API; a map in tests). */
public interface SymbolStore {
    /** Every symbol, by ticker. */
    List<Symbol> all();

    /**
     * Writes whole rows. A row equal to the stored one in every column but updated_at is left untouched, so
     * writing the same symbols twice changes nothing; a changed or new row gets {@code now} as its updated_at.
     */
    void upsert(List<Symbol> symbols, Instant now);

    /**
     * What a listing says (name, type, primary exchange, active) for these tickers: new ones become rows
     * awaiting details, known ones are updated where the listing differs.
     */
    void upsertListings(List<ListedTicker> listed, Instant now);

    /**
     * A run's newest bars: for each known ticker whose stored close is not newer, the close, its date and the
     * market cap it gives (shares x close, else the source's). Unknown tickers are skipped: a refresh adds them.
     */
    void recordCloses(List<Close> closes, Instant now);

    record Close(Ticker ticker, LocalDate date, double close) {
    }
}
