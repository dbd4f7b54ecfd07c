package dev.pricelake.adapters.sql;

import dev.pricelake.core.ReferenceSource.ListedTicker;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.reference.Symbol;
import dev.pricelake.core.reference.SymbolStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@link SymbolStore} on PostgreSQL's {@code symbols}, through JDBC or the RDS Data API. */
public final class PostgresSymbols implements SymbolStore {
    /** Rows per read: far under the Data API's 1 MiB response at about 1 KiB a row. */
    static final int PAGE = 500;
    private static final List<String> COLUMNS = List.of("ticker", "name", "type", "primary_exchange", "active", "list_date",
            "delisted_utc", "cik", "composite_figi", "sic_code", "sic_description", "sector", "industry",
            "shares_outstanding", "market_cap", "source_market_cap", "last_close", "last_close_date", "etf_type", "issuer",
            "details_updated_at", "updated_at");
    /** Every column but the key and updated_at: what makes a row different. */
    private static final List<String> VALUES = COLUMNS.subList(1, COLUMNS.size() - 1);
    private static final String UPSERT = "INSERT INTO symbols (" + String.join(", ", COLUMNS) + ") VALUES ("
            + COLUMNS.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT (ticker) DO UPDATE SET "
            + COLUMNS.stream().skip(1).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "))
            + " WHERE " + distinct(VALUES);
    private static final List<String> LISTING = List.of("name", "type", "primary_exchange", "active");
    private static final String UPSERT_LISTING = "INSERT INTO symbols (ticker, " + String.join(", ", LISTING)
            + ", updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticker) DO UPDATE SET "
            + LISTING.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "))
            + ", updated_at = EXCLUDED.updated_at WHERE " + distinct(LISTING);
    /** Only forward in time; the market cap follows the close (the source's own when shares are unknown). */
    private static final String RECORD_CLOSE = "UPDATE symbols SET last_close = c.close, last_close_date = c.date,"
            + " market_cap = CASE WHEN shares_outstanding > 0 THEN shares_outstanding * c.close ELSE source_market_cap END,"
            + " updated_at = c.at FROM (SELECT ?::text AS ticker, ?::date AS date, ?::double precision AS close,"
            + " ?::timestamptz AS at) c WHERE symbols.ticker = c.ticker"
            + " AND (symbols.last_close_date IS NULL OR symbols.last_close_date <= c.date)"
            + " AND (symbols.last_close, symbols.last_close_date, symbols.market_cap) IS DISTINCT FROM"
            + " (c.close, c.date, CASE WHEN shares_outstanding > 0 THEN shares_outstanding * c.close ELSE source_market_cap END)";
    private static final String SELECT = "SELECT " + COLUMNS.stream().map(PostgresSymbols::readable)
            .collect(Collectors.joining(", ")) + " FROM symbols WHERE ticker COLLATE \"C\" > ? ORDER BY ticker COLLATE \"C\""
            + " LIMIT " + PAGE;

    private final Sql sql;

    public PostgresSymbols(Sql sql) {
        this.sql = sql;
    }

    private static String distinct(List<String> columns) {
        return "(" + columns.stream().map(c -> "symbols." + c).collect(Collectors.joining(", ")) + ") IS DISTINCT FROM ("
                + columns.stream().map(c -> "EXCLUDED." + c).collect(Collectors.joining(", ")) + ")";
    }

    /** Timestamps travel as epoch microseconds: the same Long over JDBC and the Data API. */
    private static String readable(String column) {
        return column.endsWith("_utc") || column.endsWith("_at")
                ? Sql.epochMicros(column) : column;
    }

    /** Page by page in one transaction: one snapshot of the table, and one connection over JDBC. */
    @Override
    public List<Symbol> all() {
        return sql.inTransaction(tx -> {
            List<Symbol> out = new ArrayList<>();
            String after = "";
            while (true) {
                List<List<Object>> page = tx.query(SELECT, List.of(after));
                page.forEach(row -> out.add(symbol(row)));
                if (page.size() < PAGE) {
                    return out;
                }
                after = out.getLast().ticker().value();
            }
        });
    }

    @Override
    public void upsert(List<Symbol> symbols, Instant now) {
        batch(UPSERT, symbols, s -> Arrays.asList(s.ticker().value(), text(s.name()), text(s.type()),
                text(s.primaryExchange()), s.active(), orNull(s.listDate(), Sql.Null.DATE),
                orNull(s.delistedUtc(), Sql.Null.TIMESTAMP), text(s.cik()), text(s.compositeFigi()), text(s.sicCode()),
                text(s.sicDescription()), text(s.sector()), text(s.industry()), orNull(s.sharesOutstanding(), Sql.Null.BIGINT),
                orNull(s.marketCap(), Sql.Null.DOUBLE), orNull(s.sourceMarketCap(), Sql.Null.DOUBLE),
                orNull(s.lastClose(), Sql.Null.DOUBLE), orNull(s.lastCloseDate(), Sql.Null.DATE), text(s.etfType()),
                text(s.issuer()), orNull(s.detailsUpdatedAt(), Sql.Null.TIMESTAMP), now));
    }

    @Override
    public void upsertListings(List<ListedTicker> listed, Instant now) {
        batch(UPSERT_LISTING, listed, t -> List.of(t.ticker().value(), text(t.name()), text(t.type()),
                text(t.primaryExchange()), t.active(), now));
    }

    @Override
    public void recordCloses(List<Close> closes, Instant now) {
        batch(RECORD_CLOSE, closes, c -> List.of(c.ticker().value(), c.date(), c.close(), now));
    }

    private <T> void batch(String statement, List<T> items, Function<T, List<?>> row) {
        if (!items.isEmpty()) {
            sql.batch(statement, items.stream().<List<?>>map(row).toList());
        }
    }

    private static Object text(String value) {
        return value == null ? Sql.Null.TEXT : value;
    }

    private static Object orNull(Object value, Sql.Null type) {
        return value == null ? type : value;
    }

    private static Symbol symbol(List<Object> r) {
        return new Symbol(Ticker.of((String) r.get(0)), (String) r.get(1), (String) r.get(2), (String) r.get(3),
                (Boolean) r.get(4), date(r.get(5)), Sql.instant(r.get(6)), (String) r.get(7), (String) r.get(8), (String) r.get(9),
                (String) r.get(10), (String) r.get(11), (String) r.get(12), (Long) r.get(13), number(r.get(14)),
                number(r.get(15)), number(r.get(16)), date(r.get(17)), (String) r.get(18), (String) r.get(19),
                Sql.instant(r.get(20)), Sql.instant(r.get(21)));
    }

    private static LocalDate date(Object value) {
        return value == null ? null : LocalDate.parse((String) value);
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
