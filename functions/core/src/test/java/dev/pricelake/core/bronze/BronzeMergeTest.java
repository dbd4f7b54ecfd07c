package dev.pricelake.core.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Merges and replacements of random files against the rule written out here: one row per date in date order, an
 * incoming bar takes its date only when it differs from the stored one (an equal one keeps the stored row and its
 * ingestion time), a merge keeps the stored dates it was not given and a replacement drops them; incoming rows that
 * repeat a date count once, a later ingestion taking the date only with a different bar. Rows come in date order (the
 * files' and the fetches' order) and out of it.
 */
class BronzeMergeTest {
    private static final Ticker ABC = Ticker.of("ABC");
    private static final LocalDate FIRST = LocalDate.of(2024, 1, 1);
    private static final Instant STORED_AT = Instant.parse("2024-06-01T00:00:00Z");
    private static final Instant FETCHED_AT = Instant.parse("2024-06-02T00:00:00Z");

    @Test
    void mergesAndReplacementsFollowTheRuleInAndOutOfDateOrder() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            List<BronzeRow> stored = rows(random, STORED_AT, true);
            List<BronzeRow> incoming = rows(random, FETCHED_AT, random.nextInt(4) != 0);
            if (random.nextInt(4) == 0 && !incoming.isEmpty()) {
                // The same date again, fetched later (a retry), with the same bar or another.
                BronzeRow again = incoming.get(random.nextInt(incoming.size()));
                double close = 10 + random.nextInt(3);
                incoming.add(random.nextInt(incoming.size() + 1), new BronzeRow(bar(again.bar().date(), close),
                        FETCHED_AT.plusSeconds(60)));
            }
            boolean replace = random.nextBoolean();
            BronzeFile file = new BronzeFile(stored, Map.of());
            BronzeMerge.Result result = replace ? BronzeMerge.replace(file, incoming, Map.of())
                    : BronzeMerge.merge(file, incoming, Map.of());

            TreeMap<LocalDate, BronzeRow> expected = new TreeMap<>();
            if (!replace) {
                stored.forEach(r -> expected.put(r.bar().date(), r));
            }
            TreeMap<LocalDate, BronzeRow> fetched = new TreeMap<>();
            incoming.stream().sorted(java.util.Comparator.comparing(BronzeRow::ingestedAt)).forEach(r -> fetched.merge(
                    r.bar().date(), r, (kept, later) -> kept.bar().equals(later.bar()) ? kept : later));
            int inserted = 0;
            int updated = 0;
            int unchanged = 0;
            for (BronzeRow row : fetched.values()) {
                BronzeRow old = stored.stream().filter(r -> r.bar().date().equals(row.bar().date())).findFirst().orElse(null);
                if (old == null) {
                    inserted++;
                    expected.put(row.bar().date(), row);
                } else if (old.bar().equals(row.bar())) {
                    unchanged++;
                    expected.put(row.bar().date(), old);
                } else {
                    updated++;
                    expected.put(row.bar().date(), row);
                }
            }
            long removed = replace ? stored.stream().filter(r -> !expected.containsKey(r.bar().date())).count() : 0;
            assertThat(result.rows()).as("round %d", round).containsExactlyElementsOf(expected.values());
            assertThat(List.of(result.inserted(), result.updated(), result.unchanged(), result.removed()))
                    .as("round %d", round).containsExactly(inserted, updated, unchanged, (int) removed);
        }
    }

    private static Bar bar(LocalDate date, double close) {
        return new Bar(ABC, date, close, close + 1, close - 1, close, 100, null, null);
    }

    /** Up to 12 rows on distinct dates among 20, each close one of three, so equal and differing bars both happen. */
    private static List<BronzeRow> rows(SplittableRandom random, Instant at, boolean inDateOrder) {
        List<BronzeRow> rows = new ArrayList<>();
        for (int day = 0; day < 20; day++) {
            if (random.nextInt(20) < 12) {
                rows.add(new BronzeRow(bar(FIRST.plusDays(day), 10 + random.nextInt(3)), at));
            }
        }
        if (!inDateOrder) {
            Collections.shuffle(rows, new java.util.Random(random.nextLong()));
        }
        return rows;
    }
}
