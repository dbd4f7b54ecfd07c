package dev.pricelake.adapters.flatfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.PriceSource.GroupedDay;
import dev.pricelake.core.Ticker;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-level reader against the JDK's own: {@link BufferedReader#readLine()}, {@link Double#parseDouble}, {@link Long#parseLong}. */
class CsvLinesTest {
    /** A stream that hands out a few bytes a read, so lines and line ends straddle the reads. */
    private static InputStream trickling(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
    }

    private static List<String> readLines(String text) throws IOException {
        CsvLines lines = new CsvLines(trickling(text));
        List<String> out = new ArrayList<>();
        while (lines.next()) {
            out.add(lines.line());
        }
        return out;
    }

    private static List<String> jdkLines(String text) throws IOException {
        return new BufferedReader(new StringReader(text)).lines().toList();
    }

    @Test
    void linesEndWhereReadLineEndsThem() throws IOException {
        String longLine = "x".repeat(200_000);
        for (String text : List.of("a,b\nc,d\n", "a,b\r\nc,d", "a\rb\r\n\r\nc\n\n", "", "\n", "\r", "one", longLine + "\r\n" + longLine,
                "é,ü\nZ")) {
            assertThat(readLines(text)).as(text.length() > 40 ? "long lines" : text).isEqualTo(jdkLines(text));
        }
    }

    @Test
    void numbersAreWhatParseDoubleAndParseLongRead() throws IOException {
        SplittableRandom random = new SplittableRandom(14);
        List<String> values = new ArrayList<>(List.of("0", "-0", "0.0", "12.3456", "4930", ".5", "5.", "1e5", "-2.5E-3", " 7.25 ",
                "123456789012345678", "0.1", "0.30000000000000004", "999999999999999.9", "12345678901234567890.5", "NaN",
                "Infinity", "+3.5", "1,5"));
        for (int i = 0; i < 20_000; i++) {
            values.add(BigDecimal.valueOf(random.nextLong(1, 10_000_000_000L), random.nextInt(0, 12)).toPlainString());
            values.add(BigDecimal.valueOf(random.nextDouble() * Math.pow(10, random.nextInt(-6, 12))).stripTrailingZeros()
                    .toPlainString());
        }
        StringBuilder csv = new StringBuilder();
        values.forEach(v -> csv.append(v.replace(",", "|")).append(',').append(v.replace(",", "|")).append('\n'));
        CsvLines lines = new CsvLines(trickling(csv.toString()));
        for (String v : values) {
            String field = v.replace(",", "|");
            assertThat(lines.next()).isTrue();
            assertThat(lines.fields()).isEqualTo(2);
            assertThat(lines.text(0)).isEqualTo(field);
            Object expected = outcome(() -> Double.parseDouble(field));
            assertThat(outcome(() -> lines.number(0))).as(field).isEqualTo(expected);
            Object expectedLong = outcome(() -> Long.parseLong(field.strip()));
            assertThat(outcome(() -> lines.integer(1))).as(field).isEqualTo(expectedLong);
        }
        assertThat(lines.next()).isFalse();
    }

    /** The value, bit for bit (so -0.0 is not 0.0), or the exception's class. */
    private static Object outcome(java.util.function.Supplier<Object> parse) {
        try {
            Object value = parse.get();
            return value instanceof Double d ? Double.doubleToRawLongBits(d) : value;
        } catch (NumberFormatException e) {
            return NumberFormatException.class;
        }
    }

    @Test
    void aDayFileParsesAsItsRowsSayAndBadRowsAreNamedByLine() throws IOException {
        String file = "ticker,volume,open,close,high,low,window_start,transactions\n"
                + "AAPL,4930,12.3456,12.5,12.75,12.0,1704171600000000000,41\n"
                + "\n"
                + "bad ticker,1,1,1,1,1,1704171600000000000,\n"
                + "BRK.A,1.5,400000,400100,400200,399900,1704171600000000000, \n";
        HashMap<String, Ticker> known = new HashMap<>();
        GroupedDay day = S3FlatFiles.parse(LocalDate.of(2024, 1, 2), new CsvLines(trickling(file)), "f.csv", known);
        assertThat(day.unrecognizedSymbols()).containsExactly("bad ticker");
        assertThat(day.bars()).hasSize(2);
        assertThat(day.bars().get(0)).isEqualTo(new dev.pricelake.core.Bar(Ticker.of("AAPL"), LocalDate.of(2024, 1, 2), 12.3456,
                12.75, 12.0, 12.5, 4930, null, 41L));
        assertThat(day.bars().get(1).transactions()).isNull();
        assertThat(known).containsOnlyKeys("AAPL", "BRK.A");
        String shortRow = "ticker,volume,open,close,high,low,window_start,transactions\nAAPL,1,2\n";
        assertThatThrownBy(() -> S3FlatFiles.parse(LocalDate.of(2024, 1, 2), new CsvLines(trickling(shortRow)), "f.csv", known))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("line 2 has 3 fields, not 8: AAPL,1,2");
        String notANumber = "ticker,volume,open,close,high,low,window_start,transactions\nAAPL,1,x,1,1,1,1,1\n";
        assertThatThrownBy(() -> S3FlatFiles.parse(LocalDate.of(2024, 1, 2), new CsvLines(trickling(notANumber)), "f.csv", known))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("line 2 has a value that is not a number");
    }
}
