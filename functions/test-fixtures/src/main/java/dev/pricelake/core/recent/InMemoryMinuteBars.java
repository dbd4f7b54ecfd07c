package dev.pricelake.core.recent;

import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.MinuteRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link MinuteBarsStore} in memory: ohlcv_minute as a map by (symbol, ts). */
public final class InMemoryMinuteBars implements MinuteBarsStore {
    private final Map<Ticker, TreeMap<Instant, MinuteRow>> table = new TreeMap<>();

    @Override
    public synchronized long upsert(List<MinuteRow> rows) {
        for (MinuteRow row : rows) {
            TreeMap<Instant, MinuteRow> symbol = table.computeIfAbsent(row.bar().symbol(), s -> new TreeMap<>());
            MinuteRow stored = symbol.get(row.bar().start());
            if (stored == null || !stored.bar().equals(row.bar())) {
                symbol.put(row.bar().start(), row);
            }
        }
        return rows.size();
    }

    @Override
    public synchronized long deleteOlderThan(Instant cutoff) {
        long deleted = 0;
        for (TreeMap<Instant, MinuteRow> symbol : table.values()) {
            Map<Instant, MinuteRow> before = symbol.headMap(cutoff);
            deleted += before.size();
            before.clear();
        }
        return deleted;
    }

    @Override
    public synchronized List<MinuteRow> rows(Ticker symbol, Instant from, Instant until) {
        TreeMap<Instant, MinuteRow> rows = table.get(symbol);
        return rows == null || !from.isBefore(until) ? List.of() : new ArrayList<>(rows.subMap(from, until).values());
    }

    @Override
    public synchronized long count() {
        return table.values().stream().mapToLong(Map::size).sum();
    }
}
