package dev.pricelake.core.reference;

import dev.pricelake.core.bronze.RecordParquet;
import dev.pricelake.core.parquet.InMemoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The symbols table as one Parquet file in the lake ({@code reference/symbols/data.parquet}), with the
 * PostgreSQL columns and types, ZSTD, sorted by ticker, for DuckDB, Athena or pandas.
 */
public final class SymbolsParquet {
    public static final String KEY = "reference/symbols/data.parquet";

    private record Column(String name, PrimitiveTypeName type, LogicalTypeAnnotation logical, boolean required,
                          Function<Symbol, Object> value) {
    }

    private static final LogicalTypeAnnotation TEXT = LogicalTypeAnnotation.stringType();
    private static final LogicalTypeAnnotation DATE = LogicalTypeAnnotation.dateType();
    private static final LogicalTypeAnnotation TIMESTAMP =
            LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS);
    private static final List<Column> COLUMNS = List.of(
            new Column("ticker", PrimitiveTypeName.BINARY, TEXT, true, s -> s.ticker().value()),
            new Column("name", PrimitiveTypeName.BINARY, TEXT, false, Symbol::name),
            new Column("type", PrimitiveTypeName.BINARY, TEXT, false, Symbol::type),
            new Column("primary_exchange", PrimitiveTypeName.BINARY, TEXT, false, Symbol::primaryExchange),
            new Column("active", PrimitiveTypeName.BOOLEAN, null, true, Symbol::active),
            new Column("list_date", PrimitiveTypeName.INT32, DATE, false, Symbol::listDate),
            new Column("delisted_utc", PrimitiveTypeName.INT64, TIMESTAMP, false, Symbol::delistedUtc),
            new Column("cik", PrimitiveTypeName.BINARY, TEXT, false, Symbol::cik),
            new Column("composite_figi", PrimitiveTypeName.BINARY, TEXT, false, Symbol::compositeFigi),
            new Column("sic_code", PrimitiveTypeName.BINARY, TEXT, false, Symbol::sicCode),
            new Column("sic_description", PrimitiveTypeName.BINARY, TEXT, false, Symbol::sicDescription),
            new Column("sector", PrimitiveTypeName.BINARY, TEXT, false, Symbol::sector),
            new Column("industry", PrimitiveTypeName.BINARY, TEXT, false, Symbol::industry),
            new Column("shares_outstanding", PrimitiveTypeName.INT64, null, false, Symbol::sharesOutstanding),
            new Column("market_cap", PrimitiveTypeName.DOUBLE, null, false, Symbol::marketCap),
            new Column("source_market_cap", PrimitiveTypeName.DOUBLE, null, false, Symbol::sourceMarketCap),
            new Column("last_close", PrimitiveTypeName.DOUBLE, null, false, Symbol::lastClose),
            new Column("last_close_date", PrimitiveTypeName.INT32, DATE, false, Symbol::lastCloseDate),
            new Column("etf_type", PrimitiveTypeName.BINARY, TEXT, false, Symbol::etfType),
            new Column("issuer", PrimitiveTypeName.BINARY, TEXT, false, Symbol::issuer),
            new Column("details_updated_at", PrimitiveTypeName.INT64, TIMESTAMP, false, Symbol::detailsUpdatedAt),
            new Column("updated_at", PrimitiveTypeName.INT64, TIMESTAMP, false, Symbol::updatedAt));
    static final MessageType SCHEMA = schema();

    private SymbolsParquet() {
    }

    private static MessageType schema() {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        for (Column c : COLUMNS) {
            (c.required() ? builder.required(c.type()) : builder.optional(c.type())).as(c.logical()).named(c.name());
        }
        return builder.named("symbols");
    }

    public static byte[] write(List<Symbol> symbols) {
        InMemoryFiles.Output out = new InMemoryFiles.Output();
        try (ParquetWriter<Symbol> writer = RecordParquet.writer(out, SCHEMA, "symbols/1", SymbolsParquet::writeFields)
                .withConf(new PlainParquetConfiguration()).withCompressionCodec(CompressionCodecName.ZSTD).build()) {
            for (Symbol s : symbols.stream().sorted((a, b) -> a.ticker().compareTo(b.ticker())).toList()) {
                writer.write(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the symbols Parquet file of " + symbols.size() + " rows", e);
        }
        return out.toByteArray();
    }

    private static void writeFields(Symbol symbol, RecordConsumer consumer) {
        for (int i = 0; i < COLUMNS.size(); i++) {
            Column c = COLUMNS.get(i);
            Object value = c.value().apply(symbol);
            if (value == null) {
                continue;
            }
            consumer.startField(c.name(), i);
            switch (value) {
                case String s -> consumer.addBinary(Binary.fromString(s));
                case Boolean b -> consumer.addBoolean(b);
                case Long l -> consumer.addLong(l);
                case Double d -> consumer.addDouble(d);
                case LocalDate d -> consumer.addInteger((int) d.toEpochDay());
                case Instant t -> consumer.addLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L),
                        t.getNano() / 1_000));
                default -> throw new IllegalStateException("column " + c.name() + " holds a " + value.getClass());
            }
            consumer.endField(c.name(), i);
        }
    }
}
