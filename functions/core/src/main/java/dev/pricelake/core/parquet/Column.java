package dev.pricelake.core.parquet;

import java.util.List;
import java.util.Objects;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * A column of a lake file: what our writers write, and what our readers accept from any writer (see
 * {@link ParquetColumns} for the other physical types each kind is read from).
 *
 * @param nullable whether a row may lack a value; a required column is written REQUIRED and read from
 *                 REQUIRED or OPTIONAL columns, where a null is an error
 */
public record Column(String name, Kind kind, boolean nullable) {
    /** What a column holds, as the lake's files type it. */
    public enum Kind {
        /** UTF-8 string (BINARY, STRING). */
        STRING,
        /** Days since 1970-01-01 (INT32, DATE). */
        DATE,
        /** INT32. */
        INT,
        /** INT64. */
        LONG,
        /** DOUBLE. */
        DOUBLE,
        /** BOOLEAN. */
        BOOLEAN,
        /** Microseconds since 1970-01-01 UTC (INT64, TIMESTAMP(MICROS, adjusted to UTC)). */
        TIMESTAMP,
        /**
         * Microseconds since 1970-01-01 UTC, written as a timestamp not adjusted to UTC (INT64, TIMESTAMP(MICROS)), so
         * DuckDB, Athena and Spark read a plain TIMESTAMP that shows the UTC time whatever their session's time zone.
         */
        UTC_WALL_TIMESTAMP
    }

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    public static Column required(String name, Kind kind) {
        return new Column(name, kind, false);
    }

    public static Column optional(String name, Kind kind) {
        return new Column(name, kind, true);
    }

    /** The Parquet schema our writers give these columns, in this order. */
    public static MessageType schema(String name, List<Column> columns) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Column c : columns) {
            Repetition repetition = c.nullable ? Repetition.OPTIONAL : Repetition.REQUIRED;
            switch (c.kind) {
                case STRING -> message.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name);
                case DATE -> message.primitive(PrimitiveTypeName.INT32, repetition)
                        .as(LogicalTypeAnnotation.dateType()).named(c.name);
                case INT -> message.primitive(PrimitiveTypeName.INT32, repetition).named(c.name);
                case LONG -> message.primitive(PrimitiveTypeName.INT64, repetition).named(c.name);
                case DOUBLE -> message.primitive(PrimitiveTypeName.DOUBLE, repetition).named(c.name);
                case BOOLEAN -> message.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(c.name);
                case TIMESTAMP -> message.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS)).named(c.name);
                case UTC_WALL_TIMESTAMP -> message.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS)).named(c.name);
            }
        }
        return message.named(name);
    }
}
