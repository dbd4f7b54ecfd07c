package dev.pricelake.adapters.sql;

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
        List<List<?>> values = new ArrayList<>(rows.size());
        for (MinuteRow r : rows) {
            values.add(OhlcvRows.row(r.bar(), r.bar().start(), r.ingestedAt()));
        }
        return sql.bulkUpsert(UPSERT, values);
    }

    @Override
    public long deleteOlderThan(Instant cutoff) {
        return sql.update("DELETE FROM ohlcv_minute WHERE ts < ?", List.of(cutoff));
    }

    @Override
    public long count() {
        return (Long) sql.query("SELECT count(*) FROM ohlcv_minute", List.of()).getFirst().getFirst();
    }
}
