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

    /** Rows of values: Long, Double, String (dates as YYYY-MM-DD), Boolean or null. */
    List<List<Object>> query(String sql, List<?> params);

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Function<Sql, T> work);
}
