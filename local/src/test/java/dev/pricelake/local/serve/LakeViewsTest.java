package dev.pricelake.local.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake page's coverage: never computed while a request waits, kept across a restart of serve, marked stale while
 * the lake has changed since. The bars are planted here, gaps included, so the expected cells are known.
 */
class LakeViewsTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();

    @TempDir
    Path temp;

    private void plant(String symbol, LocalDate from, LocalDate to, Predicate<LocalDate> skipped) {
        List<BronzeRow> rows = CALENDAR.sessions(new DateRange(from, to)).stream().filter(skipped.negate())
                .map(d -> new BronzeRow(new Bar(Ticker.of(symbol), d, 10, 11, 9, 10.5, 1000, null, null), Instant.EPOCH))
                .toList();
        new BronzeLake(new FileObjectStore(temp.resolve("bucket"))).merge(Ticker.of(symbol), rows);
    }

    private LakeViews views() {
        return new LakeViews(temp.resolve("bucket"), null, temp.resolve("console/coverage.json"));
    }

    /** Polls until the coverage is current, as the page does. */
    private static JsonNode awaitCurrent(LakeViews views) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode c = views.coverage();
            if (!c.get("stale").asBoolean()) {
                return c;
            }
            assertThat(System.nanoTime()).as("the coverage is computed in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String cells(JsonNode coverage, String symbol) {
        for (JsonNode row : coverage.get("rows")) {
            if (row.get("symbol").asText().equals(symbol)) {
                return row.get("cells").asText();
            }
        }
        throw new AssertionError(symbol + " not in " + coverage);
    }

    @Test
    void theCoverageIsComputedInTheBackgroundKeptAcrossARestartAndMarkedStaleAfterTheLakeChanged() throws Exception {
        // AAA: January to March 2024, every session; BBB: February and March, 2024-03-12 missing.
        plant("AAA", LocalDate.of(2024, 1, 2), LocalDate.of(2024, 3, 28), d -> false);
        plant("BBB", LocalDate.of(2024, 2, 1), LocalDate.of(2024, 3, 28), d -> d.equals(LocalDate.of(2024, 3, 12)));

        LakeViews first = views();
        JsonNode before = first.coverage();
        assertThat(before.get("computing").asBoolean()).as("nothing kept yet: the answer comes at once, empty").isTrue();
        assertThat(before.get("rows")).isEmpty();
        JsonNode computed = awaitCurrent(first);
        assertThat(computed.get("months")).extracting(JsonNode::asText).containsExactly("2024-01", "2024-02", "2024-03");
        assertThat(cells(computed, "AAA")).isEqualTo("###");
        assertThat(cells(computed, "BBB")).isEqualTo(".#g");

        // A restart: the coverage kept is there at once, current.
        JsonNode restarted = views().coverage();
        assertThat(restarted.get("computing").asBoolean()).isFalse();
        assertThat(restarted.get("stale").asBoolean()).isFalse();
        assertThat(restarted.get("rows").toString()).isEqualTo(computed.get("rows").toString());

        // The lake changes: the old coverage, marked stale, until the new one is computed.
        plant("CCC", LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 28), d -> false);
        LakeViews after = views();
        JsonNode stale = after.coverage();
        assertThat(stale.get("stale").asBoolean()).isTrue();
        assertThat(stale.get("rows")).hasSize(2);
        JsonNode current = awaitCurrent(after);
        assertThat(current.get("rows")).extracting(r -> r.get("symbol").asText()).containsExactly("AAA", "BBB", "CCC");
        assertThat(cells(current, "CCC")).isEqualTo("..#");
    }
}
