package dev.pricelake.local.bench;

import dev.pricelake.adapters.sql.Sql;
import java.util.List;

/**
 * The peer of the universes benchmark: PostgreSQL building the bulk of the entries itself (tiers, sector and
 * market leaders, industries, the complete lists) with window functions and jsonb_agg, into a scratch table.
 */
final class PostgresPeer {
    private static final String STOCKS = "SELECT ticker, name, market_cap, sector, industry, primary_exchange,"
            + " row_number() OVER (ORDER BY market_cap DESC NULLS LAST, ticker) AS rank,"
            + " row_number() OVER (PARTITION BY sector ORDER BY market_cap DESC NULLS LAST, ticker) AS sector_rank,"
            + " CASE WHEN market_cap >= 200e9 THEN 'mega_cap' WHEN market_cap >= 10e9 THEN 'large_cap'"
            + " WHEN market_cap >= 2e9 THEN 'mid_cap' WHEN market_cap >= 300e6 THEN 'small_cap'"
            + " WHEN market_cap > 0 THEN 'micro_cap' END AS tier FROM symbols WHERE active AND type = 'CS'";
    private static final String VALUE = "jsonb_build_object('count', count(*), 'tickers', jsonb_agg(ticker ORDER BY rank),"
            + " 'stocks', jsonb_agg(jsonb_build_object('ticker', ticker, 'name', name, 'market_cap', market_cap, 'sector',"
            + " sector, 'industry', industry, 'exchange', primary_exchange) ORDER BY rank))";

    private PostgresPeer() {
    }

    /** Returns how many entries PostgreSQL built. */
    static long build(Sql sql) {
        return sql.inTransaction(tx -> {
            tx.update("CREATE TEMP TABLE IF NOT EXISTS peer_entries (LIKE cache_entries INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", List.of());
            String insert = "INSERT INTO peer_entries (type, name, key, value) ";
            String with = "WITH s AS (" + STOCKS + ") ";
            tx.update(insert + with + "SELECT 'stock_universe', 'market_cap', tier, " + VALUE + " FROM s WHERE tier IS NOT NULL"
                    + " GROUP BY tier", List.of());
            tx.update(insert + with + "SELECT 'stock_universe', 'sector_leaders', 'top_10_' || lower(sector), " + VALUE
                    + " FROM s WHERE sector IS NOT NULL AND market_cap > 0 AND sector_rank <= 10 GROUP BY sector", List.of());
            for (int n : new int[] {10, 50, 100, 250, 500, 1000}) {
                tx.update(insert + with + "SELECT 'stock_universe', 'market_leaders', 'top_" + n + "', " + VALUE
                        + " FROM s WHERE market_cap > 0 AND rank <= " + n, List.of());
            }
            tx.update(insert + with + "SELECT 'stock_universe', 'industry', lower(industry), " + VALUE
                    + " FROM s WHERE industry IS NOT NULL GROUP BY industry", List.of());
            tx.update(insert + with + "SELECT 'stock_universe', 'complete', 'all_stocks', jsonb_agg(ticker ORDER BY rank) FROM s",
                    List.of());
            return (Long) tx.query("SELECT count(*) FROM peer_entries", List.of()).getFirst().getFirst();
        });
    }
}
