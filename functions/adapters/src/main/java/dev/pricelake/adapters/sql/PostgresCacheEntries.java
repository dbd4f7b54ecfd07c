package dev.pricelake.adapters.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.reference.CacheEntry;
import dev.pricelake.core.reference.CacheEntryStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link CacheEntryStore} on PostgreSQL's {@code cache_entries}, through JDBC or the RDS Data API. Values are
 * never read whole in one row: the Data API refuses a row over 64 KiB and a response over 1 MiB, so members
 * come one row each and a whole value in pieces.
 */
public final class PostgresCacheEntries implements CacheEntryStore {
    /** Characters of a value per row read: at most 4 bytes each in UTF-8, under the Data API's 64 KiB a row. */
    static final int PIECE = 15_000;
    static final int PIECES_PER_READ = 12;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = "INSERT INTO cache_entries (type, name, key, value, updated_at)"
            + " VALUES (?, ?, ?, ?::jsonb, ?)";
    private static final String WHERE = " WHERE type = ? AND name = ? AND key = ?";
    private static final String TICKERS = "CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE value -> 'tickers' END";

    private final Sql sql;

    public PostgresCacheEntries(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void replace(Set<String> types, List<CacheEntry> entries, Instant now) {
        List<String> owned = List.copyOf(new TreeSet<>(types));
        sql.inTransaction(tx -> {
            tx.update("DELETE FROM cache_entries WHERE type IN (" + String.join(", ", Collections.nCopies(owned.size(), "?"))
                    + ")", owned);
            insert(tx, INSERT, entries, now);
            return null;
        });
    }

    @Override
    public void upsert(List<CacheEntry> entries, Instant now) {
        insert(sql, INSERT + " ON CONFLICT (type, name, key) DO UPDATE SET value = EXCLUDED.value,"
                + " updated_at = EXCLUDED.updated_at", entries, now);
    }

    private static void insert(Sql target, String statement, List<CacheEntry> entries, Instant now) {
        List<List<?>> rows = new ArrayList<>(entries.size());
        for (CacheEntry e : entries) {
            rows.add(List.of(e.id().type(), e.id().name(), e.id().key(), e.value().toString(), now));
        }
        if (!rows.isEmpty()) {
            target.batch(statement, rows);
        }
    }

    @Override
    public List<Listed> list() {
        List<Listed> out = new ArrayList<>();
        for (List<Object> row : sql.query("SELECT type, name, key, jsonb_array_length(CASE WHEN jsonb_typeof(" + TICKERS
                + ") = 'array' THEN " + TICKERS + " END), (extract(epoch FROM updated_at) * 1000000)::bigint"
                + " FROM cache_entries ORDER BY type COLLATE \"C\", name COLLATE \"C\", key COLLATE \"C\"", List.of())) {
            long micros = (Long) row.get(4);
            out.add(new Listed(new CacheEntry.Id((String) row.get(0), (String) row.get(1), (String) row.get(2)),
                    row.get(3) == null ? null : ((Long) row.get(3)).intValue(),
                    Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L)));
        }
        return out;
    }

    /** One query: no row when there is no such entry, one row with no ticker when it lists none. */
    @Override
    public Optional<List<String>> members(CacheEntry.Id id) {
        List<List<Object>> rows = sql.query("SELECT t.ticker FROM cache_entries LEFT JOIN LATERAL jsonb_array_elements_text("
                + TICKERS + ") WITH ORDINALITY AS t(ticker, n) ON true" + WHERE + " ORDER BY t.n", params(id));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<String> tickers = new ArrayList<>(rows.size());
        rows.stream().map(r -> (String) r.getFirst()).filter(t -> t != null).forEach(tickers::add);
        return Optional.of(tickers);
    }

    /**
     * In pieces of at most 64 KiB, a dozen to a response (under the 1 MiB), all read in one transaction so they
     * come from one version of the value.
     */
    @Override
    public Optional<CacheEntry> entry(CacheEntry.Id id) {
        // Materialized: the value becomes text once per read, not once per piece.
        String pieces = "WITH v AS MATERIALIZED (SELECT value::text AS t FROM cache_entries" + WHERE + ")"
                + " SELECT substr(v.t, p.start, " + PIECE + ") FROM v, generate_series(1, length(v.t), " + PIECE + ")"
                + " WITH ORDINALITY AS p(start, n) WHERE p.n > ? ORDER BY p.n LIMIT " + PIECES_PER_READ;
        StringBuilder text = new StringBuilder();
        sql.inTransaction(tx -> {
            for (int read = 0; ; read += PIECES_PER_READ) {
                List<Object> params = new ArrayList<>(params(id));
                params.add(read);
                List<List<Object>> rows = tx.query(pieces, params);
                rows.forEach(r -> text.append((String) r.getFirst()));
                if (rows.size() < PIECES_PER_READ) {
                    return null;
                }
            }
        });
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CacheEntry(id, JSON.readTree(text.toString())));
        } catch (IOException e) {
            throw new MalformedDataException("cache_entries " + id, "value is not readable JSON", e);
        }
    }

    private static List<Object> params(CacheEntry.Id id) {
        return List.of(id.type(), id.name(), id.key());
    }
}
