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
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/** {@link Sql} over JDBC: the local runner's embedded PostgreSQL, or any database URL. */
public final class JdbcSql implements Sql {
    private static final int BATCH_ROWS = 1_000;
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
     * COPY (binary) into a temporary table dropped at commit, then one INSERT ... SELECT with the conflict clause, in
     * one transaction: PostgreSQL takes the rows in bulk instead of planning and executing a statement per row. The
     * conflict clause, not a MERGE, because a MERGE joins the rows with the stored ones and PostgreSQL hashes the
     * whole table for that, every batch (README, the PostgreSQL benchmark).
     */
    @Override
    public long bulkUpsert(BulkUpsert upsert, List<List<?>> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        String columns = String.join(", ", upsert.columns());
        return inTransaction(tx -> ((JdbcSql) tx).withConnection("COPY into " + upsert.table(), c -> {
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
            return (long) rows.size();
        }));
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
