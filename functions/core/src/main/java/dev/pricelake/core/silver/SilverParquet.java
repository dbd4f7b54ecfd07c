package dev.pricelake.core.silver;

import com.github.luben.zstd.Zstd;
import dev.pricelake.core.bronze.ColumnFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DateType;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;

/**
 * The silver partition file: symbol, interval_days, start_date, end_date, open, high, low, close, volume,
 * bar_count, complete; all required, ZSTD. Written directly (one row group, one PLAIN page per column)
 * rather than through parquet-mr's record writer, which is several times slower for millions of rows;
 * DuckDB reads every file back in the tests. The same rows always give the same bytes.
 */
public final class SilverParquet {
    static final String[] COLUMNS = {"symbol", "interval_days", "start_date", "end_date", "open", "high", "low", "close",
            "volume", "bar_count", "complete"};
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int ZSTD_LEVEL = 3;
    private static final String CREATED_BY = "pricelake silver writer 1";

    private SilverParquet() {
    }

    /** Writes rows {@code from..to} (exclusive) of {@code rows}, all of interval {@code k}. */
    public static byte[] write(SilverRows rows, int from, int to, int k) {
        int n = to - from;
        try {
            ByteArrayOutputStream file = new ByteArrayOutputStream(64 + n * 40);
            file.write(MAGIC);
            List<ColumnChunk> chunks = new ArrayList<>(COLUMNS.length);
            long totalBytes = 0;
            for (String column : COLUMNS) {
                byte[] plain = plain(column, rows, from, to, k);
                byte[] compressed = Zstd.compress(plain, ZSTD_LEVEL);
                PageHeader header = new PageHeader(PageType.DATA_PAGE, plain.length, compressed.length);
                header.setData_page_header(new DataPageHeader(n, Encoding.PLAIN, Encoding.RLE, Encoding.RLE));
                long offset = file.size();
                Util.writePageHeader(header, file);
                long headerBytes = file.size() - offset;
                file.write(compressed);
                ColumnMetaData meta = new ColumnMetaData(type(column), List.of(Encoding.PLAIN, Encoding.RLE), List.of(column),
                        CompressionCodec.ZSTD, n, plain.length + headerBytes, compressed.length + headerBytes, offset);
                ColumnChunk chunk = new ColumnChunk(offset);
                chunk.setMeta_data(meta);
                chunks.add(chunk);
                totalBytes += plain.length + headerBytes;
            }
            FileMetaData footer = new FileMetaData(1, schema(), n, List.of(new RowGroup(chunks, totalBytes, n)));
            footer.setCreated_by(CREATED_BY);
            ByteArrayOutputStream footerBytes = new ByteArrayOutputStream();
            Util.writeFileMetaData(footer, footerBytes);
            footerBytes.writeTo(file);
            file.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footerBytes.size()).array());
            file.write(MAGIC);
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a silver file", e);
        }
    }

    /** Reads a silver file back (for an incremental run that patches a partition). */
    public static SilverRows read(byte[] data, String source) {
        ColumnFile f = ColumnFile.read(data, source, COLUMNS);
        int n = f.rows();
        SilverRows rows = new SilverRows(n);
        String[] symbol = f.strings("symbol");
        int[] start = f.ints("start_date");
        int[] end = f.ints("end_date");
        double[] o = f.doubles("open");
        double[] h = f.doubles("high");
        double[] l = f.doubles("low");
        double[] c = f.doubles("close");
        double[] v = f.doubles("volume");
        int[] count = f.ints("bar_count");
        boolean[] complete = f.booleans("complete");
        for (int i = 0; i < n; i++) {
            rows.add(symbol[i].intern(), start[i], end[i], o[i], h[i], l[i], c[i], v[i], count[i], complete[i]);
        }
        return rows;
    }

    private static byte[] plain(String column, SilverRows r, int from, int to, int k) {
        int n = to - from;
        switch (column) {
            case "symbol" -> {
                int bytes = 0;
                byte[][] encoded = new byte[n][];
                for (int i = 0; i < n; i++) {
                    encoded[i] = r.symbol[from + i].getBytes(StandardCharsets.UTF_8);
                    bytes += 4 + encoded[i].length;
                }
                ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (byte[] e : encoded) {
                    b.putInt(e.length).put(e);
                }
                return b.array();
            }
            case "interval_days" -> {
                ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    b.putInt(k);
                }
                return b.array();
            }
            case "start_date" -> {
                return ints(r.startDay, from, n);
            }
            case "end_date" -> {
                return ints(r.endDay, from, n);
            }
            case "bar_count" -> {
                return ints(r.barCount, from, n);
            }
            case "open" -> {
                return doubles(r.open, from, n);
            }
            case "high" -> {
                return doubles(r.high, from, n);
            }
            case "low" -> {
                return doubles(r.low, from, n);
            }
            case "close" -> {
                return doubles(r.close, from, n);
            }
            case "volume" -> {
                return doubles(r.volume, from, n);
            }
            case "complete" -> {
                byte[] bits = new byte[(n + 7) / 8];
                for (int i = 0; i < n; i++) {
                    if (r.complete[from + i]) {
                        bits[i >> 3] |= (byte) (1 << (i & 7));
                    }
                }
                return bits;
            }
            default -> throw new IllegalArgumentException(column);
        }
    }

    private static byte[] ints(int[] values, int from, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values, from, n);
        return b.array();
    }

    private static byte[] doubles(double[] values, int from, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values, from, n);
        return b.array();
    }

    private static Type type(String column) {
        return switch (column) {
            case "symbol" -> Type.BYTE_ARRAY;
            case "interval_days", "start_date", "end_date", "bar_count" -> Type.INT32;
            case "complete" -> Type.BOOLEAN;
            default -> Type.DOUBLE;
        };
    }

    private static List<SchemaElement> schema() {
        List<SchemaElement> schema = new ArrayList<>();
        SchemaElement root = new SchemaElement("silver");
        root.setNum_children(COLUMNS.length);
        schema.add(root);
        for (String column : COLUMNS) {
            SchemaElement e = new SchemaElement(column);
            e.setType(type(column));
            e.setRepetition_type(FieldRepetitionType.REQUIRED);
            if (column.equals("symbol")) {
                e.setConverted_type(ConvertedType.UTF8);
                e.setLogicalType(LogicalType.STRING(new StringType()));
            } else if (column.endsWith("_date")) {
                e.setConverted_type(ConvertedType.DATE);
                e.setLogicalType(LogicalType.DATE(new DateType()));
            }
            schema.add(e);
        }
        return schema;
    }
}
