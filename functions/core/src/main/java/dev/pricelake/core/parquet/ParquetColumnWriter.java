package dev.pricelake.core.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes lake files with parquet-java's column writers (no record assembly, which is what made its record
 * writer slow for millions of rows): data page v1 for every reader, ZSTD, per-page and per-column-chunk
 * min/max statistics and null counts, column and offset indexes, and footer key-value metadata. Row groups
 * close at {@link #ROW_GROUP_BYTES} and pages at {@link #PAGE_BYTES} or 20,000 rows, so engines can skip
 * row groups and pages by their statistics. The same rows always give the same bytes.
 */
public final class ParquetColumnWriter {
    /** Small enough for a Lambda to hold a few in memory, large enough that every lake file has one row group. */
    public static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;
    public static final int PAGE_BYTES = 128 * 1024;
    /** How often (in rows) the buffered size is compared with the row group size. */
    private static final int SIZE_CHECK_ROWS = 4096;

    private ParquetColumnWriter() {
    }

    /** Puts the values of row {@code row} into {@code out}, one call per column. */
    @FunctionalInterface
    public interface RowSource {
        void write(int row, Row out);
    }

    /**
     * Writes {@code rows} rows of these columns; the columns named in {@code dictionary} are dictionary-encoded
     * (a symbol column, repeated values), the others are PLAIN.
     */
    public static byte[] write(String name, List<Column> columns, Set<String> dictionary, Map<String, String> keyValueMetadata,
            int rows, RowSource source) {
        return write(name, columns, dictionary, keyValueMetadata, rows, source, new LakeValuesWriterFactory());
    }

    /** With the given values writers (parquet-java's own, for a test that ours write the same bytes). */
    static byte[] write(String name, List<Column> columns, Set<String> dictionary, Map<String, String> keyValueMetadata,
            int rows, RowSource source, ValuesWriterFactory valuesWriters) {
        MessageType schema = Column.schema(name, columns);
        ParquetProperties.Builder settings = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withPageSize(PAGE_BYTES)
                .withDictionaryPageSize(PAGE_BYTES)
                .withDictionaryEncoding(false)
                .withValuesWriterFactory(valuesWriters);
        dictionary.forEach(column -> settings.withDictionaryEncoding(column, true));
        ParquetProperties properties = settings.build();
        // Sized for the usual file, so the buffer is rarely copied as it grows.
        InMemoryFiles.Output out = new InMemoryFiles.Output(rows * columns.size() * 4 + 8192);
        try {
            BytesInputCompressor compressor = LakeCodecs.ZSTD_COMPRESSOR;
            ParquetFileWriter file = new ParquetFileWriter(out, schema, ParquetFileWriter.Mode.CREATE, ROW_GROUP_BYTES, 0,
                    properties.getColumnIndexTruncateLength(), properties.getStatisticsTruncateLength(),
                    properties.getPageWriteChecksumEnabled());
            file.start();
            Row row = new Row(schema);
            int groupRows = 0;
            RowGroup group = null;
            for (int r = 0; r < rows; r++) {
                if (group == null) {
                    group = new RowGroup(schema, properties, compressor);
                    row.writeTo(group.columns);
                }
                source.write(r, row);
                group.columns.endRecord();
                groupRows++;
                if (groupRows % SIZE_CHECK_ROWS == 0 && group.columns.getBufferedSize() >= ROW_GROUP_BYTES) {
                    group.flush(file, groupRows);
                    group = null;
                    groupRows = 0;
                }
            }
            if (group != null) {
                group.flush(file, groupRows);
            }
            file.end(keyValueMetadata);
            return withEncodingsInOrder(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("writing a Parquet file of " + rows + " rows", e);
        }
    }

    /**
     * parquet-java lists a column chunk's encodings in the order of a HashSet of enum constants, which follows their
     * identity hash codes and so changes from one JVM to the next: two Lambda containers wrote the same rows as two
     * different files. Listed in the order of their numbers, the same rows give the same bytes in every process.
     */
    private static byte[] withEncodingsInOrder(byte[] file) throws IOException {
        ByteBuffer tail = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int footerLength = tail.getInt(file.length - 8);
        int footerStart = file.length - 8 - footerLength;
        FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(file, footerStart, footerLength));
        for (org.apache.parquet.format.RowGroup group : footer.getRow_groups()) {
            for (ColumnChunk chunk : group.getColumns()) {
                List<Encoding> encodings = new ArrayList<>(chunk.getMeta_data().getEncodings());
                encodings.sort(Comparator.comparingInt(Encoding::getValue));
                chunk.getMeta_data().setEncodings(encodings);
            }
        }
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream(footerLength);
        Util.writeFileMetaData(footer, rewritten);
        byte[] ordered = Arrays.copyOf(file, footerStart + rewritten.size() + 8);
        System.arraycopy(rewritten.toByteArray(), 0, ordered, footerStart, rewritten.size());
        ByteBuffer.wrap(ordered).order(ByteOrder.LITTLE_ENDIAN).putInt(ordered.length - 8, rewritten.size());
        System.arraycopy(file, file.length - 4, ordered, ordered.length - 4, 4);
        return ordered;
    }

    /** One row group's column writers and the pages they have written. */
    private static final class RowGroup {
        private final ColumnChunkPageWriteStore pages;
        private final ColumnWriteStore columns;

        RowGroup(MessageType schema, ParquetProperties properties, BytesInputCompressor compressor) {
            pages = new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(),
                    properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
            columns = properties.newColumnWriteStore(schema, pages);
        }

        void flush(ParquetFileWriter file, int rows) throws IOException {
            file.startBlock(rows);
            columns.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
            columns.close();
            pages.close();
        }
    }

    /** The values of the row being written, by column position. */
    public static final class Row {
        private final List<ColumnDescriptor> descriptors;
        private final ColumnWriter[] writers;
        private final int[] present;
        private String lastString;
        private Binary lastBinary;

        private Row(MessageType schema) {
            descriptors = schema.getColumns();
            writers = new ColumnWriter[descriptors.size()];
            present = new int[descriptors.size()];
            for (int i = 0; i < present.length; i++) {
                present[i] = descriptors.get(i).getMaxDefinitionLevel();
            }
        }

        private void writeTo(ColumnWriteStore store) {
            for (int i = 0; i < writers.length; i++) {
                writers[i] = store.getColumnWriter(descriptors.get(i));
            }
        }

        public void put(int column, int value) {
            writers[column].write(value, 0, present[column]);
        }

        public void put(int column, long value) {
            writers[column].write(value, 0, present[column]);
        }

        public void put(int column, double value) {
            writers[column].write(value, 0, present[column]);
        }

        public void put(int column, boolean value) {
            writers[column].write(value, 0, present[column]);
        }

        public void put(int column, String value) {
            // Rows repeat a string (the symbol) many times in a row: encode it once.
            if (!value.equals(lastString)) {
                lastString = value;
                lastBinary = Binary.fromConstantByteArray(value.getBytes(StandardCharsets.UTF_8));
            }
            writers[column].write(lastBinary, 0, present[column]);
        }

        /** No value (a nullable column only). */
        public void putNull(int column) {
            if (present[column] == 0) {
                throw new IllegalArgumentException("column " + descriptors.get(column) + " is required");
            }
            writers[column].writeNull(0, 0);
        }
    }
}
