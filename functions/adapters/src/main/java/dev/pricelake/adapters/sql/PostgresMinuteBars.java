package dev.pricelake.adapters.sql;

import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.recent.MinuteBarsStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link MinuteBarsStore} on PostgreSQL's ohlcv_minute, through JDBC (COPY) or the RDS Data API (batches). */
public final class PostgresMinuteBars implements MinuteBarsStore {
    private static final Sql.BulkUpsert UPSERT = OhlcvRows.unchangedStays("ohlcv_minute", "ts", "ingested_at");

    private final Sql sql;

    public PostgresMinuteBars(Sql sql) {
        this.sql = sql;
    }

    @Override
    public long upsert(List<MinuteRow> rows) {
        return sql.bulkUpsert(UPSERT, OhlcvRows.rows(rows, MinuteRow::bar, r -> r.bar().start(), MinuteRow::ingestedAt));
    }

    @Override
    public long deleteOlderThan(Instant cutoff) {
        return sql.update("DELETE FROM ohlcv_minute WHERE ts < ?", List.of(cutoff));
    }

    @Override
    public List<MinuteRow> rows(Ticker symbol, Instant from, Instant until) {
        List<MinuteRow> out = new ArrayList<>();
        for (List<Object> r : sql.query("SELECT " + Sql.epochMicros("ts") + ", open, high, low, close, volume, vwap, transactions, "
                + Sql.epochMicros("ingested_at") + " FROM ohlcv_minute WHERE symbol = ? AND ts >= ? AND ts < ? ORDER BY ts",
                List.of(symbol.value(), from, until))) {
            out.add(new MinuteRow(new MinuteBar(symbol, Sql.instant(r.get(0)), number(r.get(1)), number(r.get(2)),
                    number(r.get(3)), number(r.get(4)), number(r.get(5)), r.get(6) == null ? null : number(r.get(6)),
                    r.get(7) == null ? null : ((Number) r.get(7)).longValue()), Sql.instant(r.get(8))));
        }
        return out;
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    @Override
    public long count() {
        return (Long) sql.query("SELECT count(*) FROM ohlcv_minute", List.of()).getFirst().getFirst();
    }
}
