package dev.pricelake.adapters.sql;

import java.util.List;
import java.util.function.Function;

/**
 * The few things the PostgreSQL adapters need from a database connection, so the same SQL runs over JDBC
 * (locally) and over the RDS Data API (in AWS, no VPC needed). Statements use {@code ?} placeholders;
 * parameters are String, Long, Integer, Double, Boolean, LocalDate, Instant, or a {@link Null} of a given type.
 */
public interface Sql {
    /** A typed SQL NULL, since a bare null says nothing of its column's type. */
    enum Null { DOUBLE, BIGINT, TEXT, TIMESTAMP, DATE, BOOLEAN }

    long update(String sql, List<?> params);

    /**
     * One statement, many parameter rows; returns how many rows were sent (the Data API's batch call says
     * nothing of rows affected, so neither adapter does).
     */
    long batch(String sql, List<List<?>> rows);

    /**
     * Inserts or updates many rows of one table with a single statement: {@code INSERT INTO table (columns) ...}
     * followed by {@code onConflict} (an {@code ON CONFLICT} clause on the key, which may refer to the table and
     * EXCLUDED). Over JDBC the rows go by COPY: straight into the table for the series that hold no row in the load's
     * span, into a temporary table that the one INSERT reads for the rest; the Data API has no COPY, so there they go as
     * batched statements. Rows must be unique on the key, and should come in key order (series by series, each in
     * position order): any order stores the same, but over JDBC rows out of order are slower, as the spans are read at
     * the edges of each series' run. Returns how many rows were sent.
     */
    long bulkUpsert(BulkUpsert upsert, List<List<?>> rows);

    /**
     * The target of {@link #bulkUpsert}: rows carry the columns in this order, the key's first; the key is a series
     * (text: a symbol) and a position in it (a date or a timestamptz), so a load covers a span of each series.
     */
    record BulkUpsert(String table, List<String> key, List<String> columns, String onConflict) {
        public BulkUpsert {
            key = List.copyOf(key);
            columns = List.copyOf(columns);
            if (key.size() != 2 || columns.size() < 2 || !columns.subList(0, 2).equals(key)) {
                throw new IllegalArgumentException("a bulk upsert's columns start with its key (series, position): "
                        + key + " " + columns);
            }
        }

        /** The same upsert as one statement per row, for the Data API's batches. */
        public String insertValues() {
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ") " + onConflict;
        }

        /**
         * The series, among those given, that hold a row between their first and last position: three parameters, the
         * series and their firsts and lasts as text joined by commas (no symbol, date or ISO instant holds one), which the
         * Data API carries as well as JDBC. One probe of the key's index per series: the LATERAL ... LIMIT 1 keeps
         * PostgreSQL from joining the spans with the whole table by a hash.
         */
        String heldInSpans(String positionType) {
            return "SELECT s.series FROM unnest(string_to_array(?, ','), string_to_array(?, ',')::" + positionType
                    + "[], string_to_array(?, ',')::" + positionType + "[]) AS s(series, first, last) CROSS JOIN LATERAL"
                    + " (SELECT 1 FROM " + table + " t WHERE t." + key.get(0) + " = s.series AND t." + key.get(1)
                    + " BETWEEN s.first AND s.last LIMIT 1) held";
        }
    }

    /** Timestamps travel as epoch microseconds, the same Long over JDBC and the Data API: this reads a column so. */
    static String epochMicros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    }

    /** A timestamp read with {@link #epochMicros}, or null. */
    static java.time.Instant instant(Object micros) {
        if (micros == null) {
            return null;
        }
        long m = (Long) micros;
        return java.time.Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1_000L);
    }

    /** Rows of values: Long, Double, String (dates as YYYY-MM-DD), Boolean or null. */
    List<List<Object>> query(String sql, List<?> params);

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Function<Sql, T> work);
}
