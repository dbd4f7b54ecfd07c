package dev.pricelake.core.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.Ticker;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BronzeLakeTest {
    @TempDir
    Path root;

    private BronzeLake lakeWithFilesFor(String... symbols) {
        BronzeLake lake = new BronzeLake(new FileObjectStore(root));
        for (String symbol : symbols) {
            Ticker t = Ticker.of(symbol);
            lake.merge(t, List.of(new BronzeRow(new Bar(t, LocalDate.of(2024, 3, 4), 1, 2, 1, 2, 100, null, null),
                    Instant.parse("2024-03-05T11:00:00Z"))));
        }
        return lake;
    }

    private static List<Ticker> tickers(String... symbols) {
        return Stream.of(symbols).map(Ticker::of).toList();
    }

    @Test
    void filedNamesExactlyTheSymbolsWithAFileWhateverTheirNamesShare() {
        BronzeLake lake = lakeWithFilesFor("AB", "ABD", "ABCD", "B", "BRK.B");
        assertThat(lake.filed(tickers("ABC", "ABD", "AB"))).containsExactlyInAnyOrderElementsOf(tickers("AB", "ABD"));
        assertThat(lake.filed(tickers("ABC"))).as("ABCD's file is under ABC's name but is not ABC's").isEmpty();
        assertThat(lake.filed(tickers("AB", "BRK.B", "C"))).containsExactlyInAnyOrderElementsOf(tickers("AB", "BRK.B"));
        assertThat(lake.filed(List.of())).isEmpty();
        assertThat(lake.filed(lake.symbols())).containsExactlyInAnyOrderElementsOf(tickers("AB", "ABCD", "ABD", "B", "BRK.B"));
    }

    @Test
    void aKeyOfAnotherShapeUnderTheSameNamesIsNoFile() {
        BronzeLake lake = lakeWithFilesFor("AB");
        new FileObjectStore(root).put(BronzeLake.PREFIX + "symbol=ABD/year=2024/data.parquet", new byte[] {1});
        assertThat(lake.filed(tickers("AB", "ABD"))).containsExactlyElementsOf(tickers("AB"));
    }
}
