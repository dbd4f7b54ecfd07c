package dev.pricelake.core.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BatchFileTest {
    private static final Instant AT = Instant.parse("2026-01-05T11:00:00Z");
    private static final Ticker BRK = Ticker.of("BRK.B");
    private static final Ticker AAA = Ticker.of("AAA");
    private static final Ticker ZZZ = Ticker.of("ZZZ");

    private static BronzeRow row(Ticker t, String date, double close) {
        return new BronzeRow(new Bar(t, LocalDate.parse(date), close, close + 1, close - 1, close, 1000.5, null, 7L), AT);
    }

    private static Map<Ticker, BronzeFile> tickers() {
        Map<Ticker, BronzeFile> tickers = new TreeMap<>();
        tickers.put(BRK, new BronzeFile(List.of(row(BRK, "2024-03-04", 400), row(BRK, "2024-03-05", 401)),
                Map.of("pricelake.adjustment", "splits-through:2024-03-08", "pricelake.covered", "2024-03-04..2024-03-08",
                        "pricelake.no_bar_sessions", "2024-03-06..2024-03-08")));
        tickers.put(AAA, new BronzeFile(List.of(row(AAA, "2024-03-04", 10)), Map.of("pricelake.adjustment", "unadjusted")));
        // Asked, and the source had no bar: listed with its provenance and no rows.
        tickers.put(ZZZ, new BronzeFile(List.of(), Map.of("pricelake.covered", "2024-03-04..2024-03-08")));
        return tickers;
    }

    @Test
    void eachTickerComesBackWithItsOwnRowsAndFooterAndTheSameTickersGiveTheSameBytes() {
        byte[] bytes = BatchFile.write(tickers());
        assertThat(BatchFile.read(bytes, "batch")).isEqualTo(tickers());
        assertThat(BatchFile.write(new java.util.HashMap<>(tickers()))).isEqualTo(bytes);
        // Any bronze reader sees one file of every ticker's rows.
        assertThat(BronzeParquet.read(bytes, "batch")).extracting(r -> r.bar().symbol().value())
                .containsExactly("AAA", "BRK.B", "BRK.B");
    }

    @Test
    void aFileThatIsNotABatchsOrHoldsBarsOfATickerItDoesNotListIsRefusedNamed() {
        byte[] plain = BronzeParquet.write(List.of(row(AAA, "2024-03-04", 10)));
        assertThatThrownBy(() -> BatchFile.read(plain, "staging/x/batch=1"))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("staging/x/batch=1")
                .hasMessageContaining(BatchFile.TICKERS_KEY);
        byte[] unlisted = BronzeParquet.write(List.of(row(AAA, "2024-03-04", 10), row(ZZZ, "2024-03-04", 1)),
                Map.of(BatchFile.TICKERS_KEY, "{\"AAA\":{}}"));
        assertThatThrownBy(() -> BatchFile.read(unlisted, "staging/x/batch=1"))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("bars of ZZZ");
        assertThatThrownBy(() -> BatchFile.write(Map.of(AAA, new BronzeFile(List.of(row(ZZZ, "2024-03-04", 1)), Map.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ZZZ");
    }
}
