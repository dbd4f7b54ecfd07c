package dev.pricelake.core.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.parquet.Column.Kind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our values writers are shortcuts, not formats: the files they write are parquet-java's own writers' bytes. */
class OwnValuesWritersTest {
    private static final List<Column> COLUMNS = List.of(
            Column.required("symbol", Kind.STRING),
            Column.required("day", Kind.DATE),
            Column.required("price", Kind.DOUBLE),
            Column.optional("trades", Kind.LONG),
            Column.optional("vwap", Kind.DOUBLE),
            Column.required("complete", Kind.BOOLEAN));

    private static byte[] write(String[] symbols, long seed, boolean ours) {
        ParquetColumnWriter.RowSource rows = (i, out) -> {
            SplittableRandom random = new SplittableRandom(seed + i);
            out.put(0, symbols[i]);
            out.put(1, 19_000 + i % 5_000);
            out.put(2, random.nextDouble() * 1_000);
            if (random.nextInt(10) == 0) {
                out.putNull(3);
                out.putNull(4);
            } else {
                out.put(3, random.nextLong(1_000_000));
                out.put(4, random.nextDouble());
            }
            out.put(5, random.nextBoolean());
        };
        return ParquetColumnWriter.write("t", COLUMNS, Set.of("symbol"), Map.of("k", "v"), symbols.length, rows,
                ours ? new LakeValuesWriterFactory() : new DefaultValuesWriterFactory());
    }

    /**
     * Sorted symbols as lake files hold them (the same String repeated, a new but equal String now and then), across
     * many pages; with {@code distinct} symbols past the dictionary's 128 KB the column falls back to PLAIN midway.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 5_000, 40_000})
    void theSameBytesAsParquetJavasWriters(int distinct) {
        int n = 200_000;
        String[] symbols = new String[n];
        SplittableRandom random = new SplittableRandom(distinct);
        for (int i = 0; i < n; i++) {
            int s = (int) ((long) i * distinct / n);
            boolean sameAsLast = i > 0 && (int) ((long) (i - 1) * distinct / n) == s;
            symbols[i] = sameAsLast && random.nextInt(50) != 0 ? symbols[i - 1] : new String("SYMBOL" + s);
        }
        byte[] ours = write(symbols, distinct, true);
        assertThat(ours).isEqualTo(write(symbols, distinct, false));
        assertThat(ParquetColumns.read(ours, "t", COLUMNS).strings("symbol")).containsExactly(symbols);
    }

    @Test
    void noRows() {
        assertThat(write(new String[0], 1, true)).isEqualTo(write(new String[0], 1, false));
    }
}
