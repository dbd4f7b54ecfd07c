package dev.pricelake.core.bronze;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The bronze and staging file format: the columns of DESIGN.md, ZSTD-compressed. Files are written to and
 * read from byte arrays; the same rows always give the same bytes.
 */
public final class BronzeParquet {
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("symbol")
            .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("date")
            .required(PrimitiveTypeName.DOUBLE).named("open")
            .required(PrimitiveTypeName.DOUBLE).named("high")
            .required(PrimitiveTypeName.DOUBLE).named("low")
            .required(PrimitiveTypeName.DOUBLE).named("close")
            .required(PrimitiveTypeName.DOUBLE).named("volume")
            .optional(PrimitiveTypeName.DOUBLE).named("vwap")
            .optional(PrimitiveTypeName.INT64).named("transactions")
            .required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
            .named("ingested_at")
            .named("raw_ohlcv");
    private static final String[] FIELDS = SCHEMA.getFields().stream().map(f -> f.getName()).toArray(String[]::new);
    private static final ParquetConfiguration CONF = new PlainParquetConfiguration();
    private static final int PAGE_BYTES = 64 * 1024;
    private static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;

    private BronzeParquet() {
    }

    public static byte[] write(List<BronzeRow> rows) {
        InMemoryFiles.Output out = new InMemoryFiles.Output();
        // A symbol file is small (one row a session): small pages keep a writer's buffers small, and a
        // dictionary only pays for the symbol (distinct doubles make the writer try one and throw it away).
        try (ParquetWriter<BronzeRow> writer = RecordParquet.writer(out, SCHEMA, "bronze/1", BronzeParquet::writeFields)
                .withConf(CONF)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withPageSize(PAGE_BYTES)
                .withDictionaryPageSize(PAGE_BYTES)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withDictionaryEncoding(false)
                .withDictionaryEncoding("symbol", true)
                .build()) {
            for (BronzeRow row : rows) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a bronze Parquet file of " + rows.size() + " rows", e);
        }
        return out.toByteArray();
    }

    /** Reads every row; {@code source} names the file in any error. */
    public static List<BronzeRow> read(byte[] data, String source) {
        List<BronzeRow> rows = new ArrayList<>();
        try (ParquetReader<BronzeRow> reader = new ReaderBuilder(new InMemoryFiles.Input(data)).build()) {
            for (BronzeRow row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedDataException m) {
                throw m;
            }
            throw new MalformedDataException(source, "is not a readable bronze Parquet file (" + e.getMessage() + ")", e);
        }
        return rows;
    }

    private static final class ReaderBuilder extends ParquetReader.Builder<BronzeRow> {
        ReaderBuilder(InputFile file) {
            super(file, CONF);
        }

        @Override
        protected ReadSupport<BronzeRow> getReadSupport() {
            return new RowReadSupport();
        }
    }

    private static void writeFields(BronzeRow row, RecordConsumer consumer) {
        Bar bar = row.bar();
        field(consumer, 0);
        consumer.addBinary(Binary.fromString(bar.symbol().value()));
        end(consumer, 0);
        field(consumer, 1);
        consumer.addInteger((int) bar.date().toEpochDay());
        end(consumer, 1);
        putDouble(consumer, 2, bar.open());
        putDouble(consumer, 3, bar.high());
        putDouble(consumer, 4, bar.low());
        putDouble(consumer, 5, bar.close());
        putDouble(consumer, 6, bar.volume());
        if (bar.vwap() != null) {
            putDouble(consumer, 7, bar.vwap());
        }
        if (bar.transactions() != null) {
            field(consumer, 8);
            consumer.addLong(bar.transactions());
            end(consumer, 8);
        }
        field(consumer, 9);
        consumer.addLong(toMicros(row.ingestedAt()));
        end(consumer, 9);
    }

    private static void putDouble(RecordConsumer consumer, int index, double value) {
        field(consumer, index);
        consumer.addDouble(value);
        end(consumer, index);
    }

    private static void field(RecordConsumer consumer, int index) {
        consumer.startField(FIELDS[index], index);
    }

    private static void end(RecordConsumer consumer, int index) {
        consumer.endField(FIELDS[index], index);
    }

    static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static final class RowReadSupport extends ReadSupport<BronzeRow> {
        @Override
        public ReadContext init(InitContext context) {
            MessageType fileSchema = context.getFileSchema();
            for (String field : FIELDS) {
                if (!fileSchema.containsField(field)) {
                    throw new MalformedDataException("schema", "column '" + field + "' is missing");
                }
            }
            return new ReadContext(SCHEMA);
        }

        @Override
        public RecordMaterializer<BronzeRow> prepareForRead(Configuration configuration,
                Map<String, String> keyValueMetaData, MessageType fileSchema, ReadContext readContext) {
            return new RowMaterializer();
        }

        @Override
        public RecordMaterializer<BronzeRow> prepareForRead(ParquetConfiguration configuration,
                Map<String, String> keyValueMetaData, MessageType fileSchema, ReadContext readContext) {
            return new RowMaterializer();
        }
    }

    /** Assembles rows from column values; one Ticker per distinct symbol, since files hold few symbols. */
    private static final class RowMaterializer extends RecordMaterializer<BronzeRow> {
        private final Map<Binary, Ticker> tickers = new HashMap<>();
        private Ticker symbol;
        private int epochDay;
        private final double[] values = new double[5];
        private Double vwap;
        private Long transactions;
        private long ingestedMicros;

        private final GroupConverter root = new GroupConverter() {
            private final Converter[] converters = {
                    new PrimitiveConverter() {
                        @Override
                        public void addBinary(Binary value) {
                            symbol = tickers.computeIfAbsent(value.copy(), b -> Ticker.of(b.toStringUsingUTF8()));
                        }
                    },
                    new PrimitiveConverter() {
                        @Override
                        public void addInt(int value) {
                            epochDay = value;
                        }
                    },
                    valueConverter(0), valueConverter(1), valueConverter(2), valueConverter(3), valueConverter(4),
                    new PrimitiveConverter() {
                        @Override
                        public void addDouble(double value) {
                            vwap = value;
                        }
                    },
                    new PrimitiveConverter() {
                        @Override
                        public void addLong(long value) {
                            transactions = value;
                        }
                    },
                    new PrimitiveConverter() {
                        @Override
                        public void addLong(long value) {
                            ingestedMicros = value;
                        }
                    },
            };

            @Override
            public Converter getConverter(int fieldIndex) {
                return converters[fieldIndex];
            }

            @Override
            public void start() {
                vwap = null;
                transactions = null;
            }

            @Override
            public void end() {
            }
        };

        private PrimitiveConverter valueConverter(int slot) {
            return new PrimitiveConverter() {
                @Override
                public void addDouble(double value) {
                    values[slot] = value;
                }
            };
        }

        @Override
        public BronzeRow getCurrentRecord() {
            Bar bar = new Bar(symbol, LocalDate.ofEpochDay(epochDay), values[0], values[1], values[2], values[3],
                    values[4], vwap, transactions);
            return new BronzeRow(bar, fromMicros(ingestedMicros));
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}
