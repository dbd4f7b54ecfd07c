package dev.pricelake.adapters.sql;

import dev.pricelake.core.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/** {@link Sql} over JDBC: the local runner's embedded PostgreSQL, or any database URL. */
public final class JdbcSql implements Sql {
    private static final int BATCH_ROWS = 1_000;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK = "40P01";
    private final DataSource dataSource;
    private final Connection transaction;

    public JdbcSql(DataSource dataSource) {
        this.dataSource = dataSource;
        this.transaction = null;
    }

    private JdbcSql(Connection transaction) {
        this.dataSource = null;
        this.transaction = transaction;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(String what, Work<T> work) {
        try {
            if (transaction != null) {
                return work.run(transaction);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new StoreException("PostgreSQL: " + what + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long update(String sql, List<?> params) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeLargeUpdate();
            }
        });
    }

    @Override
    public long batch(String sql, List<List<?>> rows) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < rows.size(); i++) {
                    bind(ps, rows.get(i));
                    ps.addBatch();
                    if ((i + 1) % BATCH_ROWS == 0 || i == rows.size() - 1) {
                        ps.executeLargeBatch();
                    }
                }
            }
            return rows.size();
        });
    }

    /**
     * The rows of a series that holds no row inside the load's span of it (a new symbol, history before or after what
     * is stored, a day's new bars) go by COPY (binary) straight into the table: no staging, no conflict check per row,
     * and PostgreSQL writes them a page at a time. The rest go by COPY into a temporary table dropped at commit and one
     * INSERT ... SELECT with the conflict clause, which rewrites only rows whose values differ. A writer that stores one
     * of the "new" keys meanwhile makes the direct COPY fail on the key (after waiting for that writer's commit): it is
     * rolled back to its savepoint and all the rows take the second way, so the load updates that row instead of
     * failing. All in one transaction. The conflict clause, not a MERGE, because a MERGE joins the rows with the stored
     * ones and PostgreSQL hashes the whole table for that, every batch (README, the PostgreSQL benchmark).
     */
    @Override
    public long bulkUpsert(BulkUpsert upsert, List<List<?>> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        return inTransaction(tx -> ((JdbcSql) tx).withConnection("COPY into " + upsert.table(), c -> {
            Spans spans = spans(rows);
            Set<Object> stored = seriesStoredInSpan(c, upsert, spans);
            boolean copied = stored.size() < spans.series().size()
                    && copyStraightIn(c, upsert, stored.isEmpty() ? rows : only(rows, row -> !stored.contains(row.getFirst())));
            if (!copied) {
                upsertStaged(c, upsert, rows);
            } else if (!stored.isEmpty()) {
                upsertStaged(c, upsert, only(rows, row -> stored.contains(row.getFirst())));
            }
            return (long) rows.size();
        }));
    }

    private static Iterable<List<?>> only(List<List<?>> rows, java.util.function.Predicate<List<?>> which) {
        return () -> rows.stream().filter(which).iterator();
    }

    /** Each series of a load with its first and last position, as PostgreSQL reads them (text) and their SQL type. */
    private record Spans(List<String> series, List<String> firsts, List<String> lasts, String type) {
    }

    /** A series' first and last position in a load. */
    private record Span(Comparable<Object> first, Comparable<Object> last) {
        Span widen(Span other) {
            return new Span(other.first.compareTo(first) < 0 ? other.first : first, other.last.compareTo(last) > 0 ? other.last : last);
        }
    }

    /**
     * Each series' first and last position, read at the edges of its run of rows, found by doubling steps then halving
     * them: in key order (as {@link Sql#bulkUpsert} asks) a million bars of 1,000 series are read at some 40,000 rows, not
     * all (reading every row, cold, kept the COPY waiting 0.14-0.19 s). Rows out of that order give a span too narrow or
     * miss a series; the direct COPY then meets a stored key and the load takes the staged way: slower, the same result.
     */
    @SuppressWarnings("unchecked")
    private static Spans spans(List<List<?>> rows) {
        Map<Object, Span> spans = new LinkedHashMap<>();
        int start = 0;
        while (start < rows.size()) {
            Object series = rows.get(start).getFirst();
            int last = start;
            int step = 1;
            while (last + step < rows.size() && series.equals(rows.get(last + step).getFirst())) {
                last += step;
                step *= 2;
            }
            int beyond = Math.min(last + step, rows.size());
            while (beyond - last > 1) {
                int middle = (last + beyond) >>> 1;
                if (series.equals(rows.get(middle).getFirst())) {
                    last = middle;
                } else {
                    beyond = middle;
                }
            }
            Span run = new Span((Comparable<Object>) rows.get(start).get(1), (Comparable<Object>) rows.get(last).get(1));
            spans.merge(series, run, Span::widen);
            start = last + 1;
        }
        String type = switch (rows.getFirst().get(1)) {
            case LocalDate d -> "date";
            case Instant t -> "timestamptz";
            default -> throw new IllegalArgumentException("a bulk upsert's position is a date or an instant, not "
                    + rows.getFirst().get(1).getClass().getSimpleName());
        };
        List<String> series = new ArrayList<>(spans.size());
        List<String> firsts = new ArrayList<>(spans.size());
        List<String> lasts = new ArrayList<>(spans.size());
        spans.forEach((name, span) -> {
            series.add((String) name);
            firsts.add(span.first().toString());
            lasts.add(span.last().toString());
        });
        return new Spans(series, firsts, lasts, type);
    }

    /** The series that hold a row between the load's first and last position of them. */
    private static Set<Object> seriesStoredInSpan(Connection c, BulkUpsert upsert, Spans spans) throws SQLException {
        Set<Object> stored = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(upsert.heldInSpans(spans.type()))) {
            ps.setString(1, String.join(",", spans.series()));
            ps.setString(2, String.join(",", spans.firsts()));
            ps.setString(3, String.join(",", spans.lasts()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        return stored;
    }

    /** False when a concurrent writer's key stopped the COPY, which is then undone. */
    private static boolean copyStraightIn(Connection c, BulkUpsert upsert, Iterable<List<?>> rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SAVEPOINT pricelake_straight_in");
            try {
                PostgresCopy.copyIn(c, "COPY " + upsert.table() + " (" + String.join(", ", upsert.columns())
                        + ") FROM STDIN (FORMAT binary)", rows);
            } catch (SQLException e) {
                // A key stored meanwhile (unique violation), or two loads inserting the same new keys in different orders.
                if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DEADLOCK.equals(e.getSQLState())) {
                    throw e;
                }
                s.execute("ROLLBACK TO SAVEPOINT pricelake_straight_in");
                return false;
            }
            s.execute("RELEASE SAVEPOINT pricelake_straight_in");
            return true;
        }
    }

    private static void upsertStaged(Connection c, BulkUpsert upsert, Iterable<List<?>> rows) throws SQLException {
        String columns = String.join(", ", upsert.columns());
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE pricelake_bulk (LIKE " + upsert.table() + ") ON COMMIT DROP");
        }
        PostgresCopy.copyIn(c, "COPY pricelake_bulk (" + columns + ") FROM STDIN (FORMAT binary)", rows);
        try (Statement s = c.createStatement()) {
            s.executeLargeUpdate("INSERT INTO " + upsert.table() + " (" + columns + ") SELECT " + columns
                    + " FROM pricelake_bulk " + upsert.onConflict());
            // A caller's transaction may upsert again (the recent table, then the archive) before its commit.
            s.execute("DROP TABLE pricelake_bulk");
        }
    }

    @Override
    public List<List<Object>> query(String sql, List<?> params) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<List<Object>> out = new ArrayList<>();
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>(columns);
                        for (int i = 1; i <= columns; i++) {
                            row.add(normalize(rs.getObject(i)));
                        }
                        out.add(row);
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public <T> T inTransaction(Function<Sql, T> work) {
        if (transaction != null) {
            return work.apply(this);
        }
        return withConnection("a transaction", c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.apply(new JdbcSql(c));
                c.commit();
                return result;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        });
    }

    private static Object normalize(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case java.math.BigDecimal d -> d.scale() == 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
            case Float f -> f.doubleValue();
            case java.sql.Date d -> d.toLocalDate().toString();
            default -> value;
        };
    }

    static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            int at = i + 1;
            switch (p) {
                case Null n -> ps.setNull(at, switch (n) {
                    case DOUBLE -> Types.DOUBLE;
                    case BIGINT -> Types.BIGINT;
                    case TEXT -> Types.VARCHAR;
                    case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
                    case DATE -> Types.DATE;
                    case BOOLEAN -> Types.BOOLEAN;
                });
                case LocalDate d -> ps.setObject(at, d);
                case Instant t -> ps.setObject(at, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
                case null -> throw new IllegalArgumentException("parameter " + at + " is a bare null: use Sql.Null");
                default -> ps.setObject(at, p);
            }
        }
    }
}
