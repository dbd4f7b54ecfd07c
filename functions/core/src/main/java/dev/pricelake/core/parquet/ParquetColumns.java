package dev.pricelake.core.parquet;

import dev.pricelake.core.MalformedDataException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Some columns of a Parquet file from any writer, as primitive arrays: several row groups, OPTIONAL or
 * REQUIRED columns, dictionary and data page v1 or v2 encodings and every codec parquet-java reads. Values
 * are decoded with parquet-java's column readers, without assembling records; a REQUIRED column whose
 * pages are all PLAIN (what our writers write) is copied from its pages in bulk, which keeps reading a
 * whole lake several times faster (see the README's resample benchmark). A column of another type that
 * holds the same values exactly (an INT64 volume, a DECIMAL price, a TIMESTAMP in nanoseconds) is
 * converted; anything else is an error naming the file and the column.
 */
public final class ParquetColumns {
    private static final PlainParquetConfiguration CONF = new PlainParquetConfiguration();
    private static final PrimitiveConverter NO_CONVERTER = new PrimitiveConverter() {
    };
    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

    private final String source;
    private final int rows;
    private final Map<String, String> keyValueMetadata;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, BitSet> nulls = new HashMap<>();

    private ParquetColumns(String source, int rows, Map<String, String> keyValueMetadata) {
        this.source = source;
        this.rows = rows;
        this.keyValueMetadata = keyValueMetadata;
    }

    /** Reads the columns; {@code source} names the file in every error. Other columns of the file are not read. */
    public static ParquetColumns read(byte[] data, String source, List<Column> wanted) {
        // Options per file: they carry a codec factory that each reader releases when it closes.
        ParquetReadOptions options = ParquetReadOptions.builder(CONF).withCodecFactory(new LakeCodecs()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new InMemoryFiles.Input(data), options)) {
            FileMetaData meta = reader.getFooter().getFileMetaData();
            MessageType schema = meta.getSchema();
            long total = reader.getRecordCount();
            if (total > Integer.MAX_VALUE) {
                throw new MalformedDataException(source, "has more rows than one array can hold");
            }
            ParquetColumns file = new ParquetColumns(source, (int) total, Map.copyOf(meta.getKeyValueMetaData()));
            VersionParser.ParsedVersion writer = writerVersion(meta.getCreatedBy());
            List<ChunkReader> readers = new ArrayList<>();
            List<Type> requested = new ArrayList<>();
            for (Column column : wanted) {
                ChunkReader r = file.reader(schema, column, writer);
                readers.add(r);
                requested.add(schema.getType(column.name()));
            }
            reader.setRequestedSchema(new MessageType(schema.getName(), requested));
            int offset = 0;
            for (PageReadStore group = reader.readNextRowGroup(); group != null; group = reader.readNextRowGroup()) {
                int n = (int) group.getRowCount();
                for (ChunkReader r : readers) {
                    r.read(group.getPageReader(r.descriptor), offset, n);
                }
                offset += n;
            }
            return file;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedDataException m) {
                throw m;
            }
            throw new MalformedDataException(source, "is not a readable Parquet file (" + e + ")", e);
        }
    }

    public int rows() {
        return rows;
    }

    /** The footer's key-value metadata. */
    public Map<String, String> keyValueMetadata() {
        return keyValueMetadata;
    }

    public int[] ints(String name) {
        return (int[]) column(name);
    }

    public long[] longs(String name) {
        return (long[]) column(name);
    }

    public double[] doubles(String name) {
        return (double[]) column(name);
    }

    public boolean[] booleans(String name) {
        return (boolean[]) column(name);
    }

    public String[] strings(String name) {
        return (String[]) column(name);
    }

    /** Whether the row has no value in this column (only a nullable column can have none). */
    public boolean isNull(String name, int row) {
        BitSet n = nulls.get(name);
        return n != null && n.get(row);
    }

    private Object column(String name) {
        Object column = values.get(name);
        if (column == null) {
            throw new IllegalArgumentException(name + " was not read from " + source);
        }
        return column;
    }

    private static VersionParser.ParsedVersion writerVersion(String createdBy) {
        try {
            return createdBy == null ? null : VersionParser.parse(createdBy);
        } catch (VersionParser.VersionParseException | RuntimeException unknownWriter) {
            // Only used to work around old parquet-mr bugs: a writer we cannot name had none of them.
            return null;
        }
    }

    private ChunkReader reader(MessageType schema, Column column, VersionParser.ParsedVersion writer) {
        if (!schema.containsField(column.name())) {
            throw new MalformedDataException(source, "column '" + column.name() + "' is missing");
        }
        Type type = schema.getType(column.name());
        if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
            throw new MalformedDataException(source, "column '" + column.name() + "' is " + type
                    + ", where a single " + column.kind() + " value is expected");
        }
        PrimitiveType primitive = type.asPrimitiveType();
        ColumnDescriptor descriptor = schema.getColumnDescription(new String[] {column.name()});
        Object target = newArray(column.kind(), rows);
        values.put(column.name(), target);
        Decoder decoder = decoder(column, primitive, target);
        if (decoder == null) {
            throw new MalformedDataException(source, "column '" + column.name() + "' is " + describe(primitive)
                    + ", where " + expected(column.kind()) + " is expected");
        }
        BitSet nullRows = new BitSet();
        if (column.nullable()) {
            nulls.put(column.name(), nullRows);
        }
        return new ChunkReader(column, descriptor, writer, decoder, bulkCopy(column.kind(), primitive, target), nullRows);
    }

    private static Object newArray(Column.Kind kind, int n) {
        return switch (kind) {
            case STRING -> new String[n];
            case DATE, INT -> new int[n];
            case LONG, TIMESTAMP, UTC_WALL_TIMESTAMP -> new long[n];
            case DOUBLE -> new double[n];
            case BOOLEAN -> new boolean[n];
        };
    }

    /** Reads the current value of a column reader into row {@code row} of the target; null when the type does not fit. */
    @FunctionalInterface
    private interface Decoder {
        void decode(ColumnReader reader, int row);
    }

    private Decoder decoder(Column column, PrimitiveType type, Object target) {
        PrimitiveTypeName physical = type.getPrimitiveTypeName();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        boolean plainInteger = logical == null || logical instanceof IntLogicalTypeAnnotation i && i.isSigned();
        return switch (column.kind()) {
            case STRING -> {
                String[] a = (String[]) target;
                if (physical != PrimitiveTypeName.BINARY || !(logical == null || logical instanceof StringLogicalTypeAnnotation
                        || logical instanceof EnumLogicalTypeAnnotation)) {
                    yield null;
                }
                // Files hold few distinct strings (one symbol, or a dictionary of them): decode each once.
                Map<Binary, String> seen = new HashMap<>();
                yield (r, row) -> {
                    Binary value = r.getBinary();
                    String text = seen.get(value);
                    if (text == null) {
                        text = value.toStringUsingUTF8();
                        seen.put(value.copy(), text);
                    }
                    a[row] = text;
                };
            }
            case DATE -> {
                int[] a = (int[]) target;
                yield physical == PrimitiveTypeName.INT32 && logical instanceof DateLogicalTypeAnnotation
                        ? (r, row) -> a[row] = r.getInteger() : null;
            }
            case INT -> {
                int[] a = (int[]) target;
                if (physical == PrimitiveTypeName.INT32 && plainInteger) {
                    yield (r, row) -> a[row] = r.getInteger();
                }
                yield physical == PrimitiveTypeName.INT64 && plainInteger
                        ? (r, row) -> a[row] = narrow(column, r.getLong(), row) : null;
            }
            case LONG -> {
                long[] a = (long[]) target;
                if (physical == PrimitiveTypeName.INT64 && plainInteger) {
                    yield (r, row) -> a[row] = r.getLong();
                }
                yield physical == PrimitiveTypeName.INT32 && plainInteger ? (r, row) -> a[row] = r.getInteger() : null;
            }
            case DOUBLE -> doubleDecoder((double[]) target, physical, logical, plainInteger);
            case BOOLEAN -> {
                boolean[] a = (boolean[]) target;
                yield physical == PrimitiveTypeName.BOOLEAN ? (r, row) -> a[row] = r.getBoolean() : null;
            }
            case TIMESTAMP, UTC_WALL_TIMESTAMP -> {
                long[] a = (long[]) target;
                if (physical == PrimitiveTypeName.INT96) {
                    yield (r, row) -> a[row] = int96Micros(r.getBinary());
                }
                if (physical != PrimitiveTypeName.INT64 || !(logical instanceof TimestampLogicalTypeAnnotation t)) {
                    yield null;
                }
                yield switch (t.getUnit()) {
                    case MILLIS -> (r, row) -> a[row] = Math.multiplyExact(r.getLong(), 1_000L);
                    case MICROS -> (r, row) -> a[row] = r.getLong();
                    case NANOS -> (r, row) -> a[row] = Math.floorDiv(r.getLong(), 1_000L);
                };
            }
        };
    }

    /** Integers and decimals are read exactly as the nearest double, as parsing their decimal text would give. */
    private static Decoder doubleDecoder(double[] a, PrimitiveTypeName physical, LogicalTypeAnnotation logical,
            boolean plainInteger) {
        if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
            int scale = decimal.getScale();
            double divisor = Math.pow(10, scale);
            return switch (physical) {
                case INT32 -> scale <= 22 ? (r, row) -> a[row] = r.getInteger() / divisor : null;
                case INT64 -> scale <= 22 ? (r, row) -> a[row] = exactOrBig(r.getLong(), scale, divisor) : null;
                case BINARY, FIXED_LEN_BYTE_ARRAY ->
                        (r, row) -> a[row] = new BigDecimal(new BigInteger(r.getBinary().getBytes()), scale).doubleValue();
                default -> null;
            };
        }
        return switch (physical) {
            case DOUBLE -> logical == null ? (r, row) -> a[row] = r.getDouble() : null;
            case INT32 -> plainInteger ? (r, row) -> a[row] = r.getInteger() : null;
            case INT64 -> plainInteger ? (r, row) -> a[row] = exactOrBig(r.getLong(), 0, 1) : null;
            default -> null;
        };
    }

    /** unscaled / 10^scale, correctly rounded: a plain division is when both are exact doubles. */
    private static double exactOrBig(long unscaled, int scale, double divisor) {
        if (Math.abs(unscaled) < (1L << 53)) {
            return unscaled / divisor;
        }
        return BigDecimal.valueOf(unscaled, scale).doubleValue();
    }

    private int narrow(Column column, long value, int row) {
        if (value != (int) value) {
            throw new MalformedDataException(source, "column '" + column.name() + "' holds " + value + " at row " + row
                    + ", too large for a 32-bit integer");
        }
        return (int) value;
    }

    /** INT96 timestamps (Impala, older Spark): nanoseconds of the day, then the Julian day, little-endian. */
    private static long int96Micros(Binary value) {
        ByteBuffer b = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = b.getLong();
        long julianDay = Integer.toUnsignedLong(b.getInt());
        return (julianDay - JULIAN_DAY_OF_EPOCH) * 86_400_000_000L + nanosOfDay / 1_000L;
    }

    /**
     * The target when a PLAIN page's bytes are the values themselves, little-endian as the array holds them;
     * null when values must be decoded one by one.
     */
    private static Object bulkCopy(Column.Kind kind, PrimitiveType type, Object target) {
        PrimitiveTypeName physical = type.getPrimitiveTypeName();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        boolean same = switch (kind) {
            case DATE -> physical == PrimitiveTypeName.INT32;
            case INT -> physical == PrimitiveTypeName.INT32 && logical == null;
            case LONG -> physical == PrimitiveTypeName.INT64 && logical == null;
            case DOUBLE -> physical == PrimitiveTypeName.DOUBLE;
            case TIMESTAMP, UTC_WALL_TIMESTAMP -> physical == PrimitiveTypeName.INT64 && logical instanceof TimestampLogicalTypeAnnotation t
                    && t.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS;
            case STRING, BOOLEAN -> false;
        };
        return same ? target : null;
    }

    private static String describe(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return type.getPrimitiveTypeName() + (logical == null ? "" : " (" + logical + ")");
    }

    private static String expected(Column.Kind kind) {
        return switch (kind) {
            case STRING -> "a string (BINARY, STRING)";
            case DATE -> "a date (INT32, DATE)";
            case INT -> "a 32-bit integer";
            case LONG -> "a 64-bit integer (INT64 or INT32)";
            case DOUBLE -> "a number (DOUBLE, an integer or a DECIMAL)";
            case BOOLEAN -> "a BOOLEAN";
            case TIMESTAMP, UTC_WALL_TIMESTAMP -> "a timestamp (INT64 TIMESTAMP or INT96)";
        };
    }

    /** One wanted column: reads its chunk of each row group into the target array. */
    private final class ChunkReader {
        private final Column column;
        private final ColumnDescriptor descriptor;
        private final VersionParser.ParsedVersion writer;
        private final Decoder decoder;
        private final Object bulkTarget;
        private final BitSet nullRows;

        ChunkReader(Column column, ColumnDescriptor descriptor, VersionParser.ParsedVersion writer, Decoder decoder,
                Object bulkTarget, BitSet nullRows) {
            this.column = column;
            this.descriptor = descriptor;
            this.writer = writer;
            this.decoder = decoder;
            this.bulkTarget = bulkTarget;
            this.nullRows = nullRows;
        }

        void read(PageReader pages, int offset, int n) {
            DictionaryPage dictionary = pages.readDictionaryPage();
            List<DataPage> data = new ArrayList<>();
            for (DataPage page = pages.readPage(); page != null; page = pages.readPage()) {
                data.add(page);
            }
            if (dictionary == null && bulkTarget != null && descriptor.getMaxDefinitionLevel() == 0
                    && data.stream().allMatch(ChunkReader::plain)) {
                copy(data, offset, n);
                return;
            }
            ColumnReaderImpl reader = new ColumnReaderImpl(descriptor, new Replay(dictionary, data, pages.getTotalValueCount()),
                    NO_CONVERTER, writer);
            int present = descriptor.getMaxDefinitionLevel();
            for (int i = 0; i < n; i++) {
                if (reader.getCurrentDefinitionLevel() == present) {
                    decoder.decode(reader, offset + i);
                } else if (column.nullable()) {
                    nullRows.set(offset + i);
                } else {
                    throw new MalformedDataException(source, "column '" + column.name() + "' has a null at row "
                            + (offset + i) + ", where a value is required");
                }
                reader.consume();
            }
        }

        private static boolean plain(DataPage page) {
            return switch (page) {
                case DataPageV1 v1 -> v1.getValueEncoding() == Encoding.PLAIN;
                case DataPageV2 v2 -> v2.getDataEncoding() == Encoding.PLAIN;
                default -> false;
            };
        }

        private void copy(List<DataPage> pages, int offset, int n) {
            int at = offset;
            for (DataPage page : pages) {
                int count = page.getValueCount();
                if (at + count > offset + n) {
                    throw new MalformedDataException(source, "column '" + column.name() + "' has more values than rows");
                }
                try {
                    ByteBuffer bytes = (page instanceof DataPageV1 v1 ? v1.getBytes() : ((DataPageV2) page).getData())
                            .toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    switch (bulkTarget) {
                        case int[] a -> bytes.asIntBuffer().get(a, at, count);
                        case long[] a -> bytes.asLongBuffer().get(a, at, count);
                        case double[] a -> bytes.asDoubleBuffer().get(a, at, count);
                        default -> throw new IllegalStateException("no bulk copy into " + bulkTarget);
                    }
                } catch (IOException e) {
                    throw new MalformedDataException(source, "column '" + column.name() + "' has an unreadable page", e);
                }
                at += count;
            }
            if (at != offset + n) {
                throw new MalformedDataException(source, "column '" + column.name() + "' has " + (at - offset)
                        + " values in a row group of " + n + " rows");
            }
        }
    }

    /** Pages already read from a chunk, handed to a column reader. */
    private record Replay(DictionaryPage dictionary, List<DataPage> pages, long totalValueCount) implements PageReader {
        Replay {
            pages = new ArrayList<>(pages);
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            return dictionary;
        }

        @Override
        public long getTotalValueCount() {
            return totalValueCount;
        }

        @Override
        public DataPage readPage() {
            return pages.isEmpty() ? null : pages.removeFirst();
        }
    }
}
