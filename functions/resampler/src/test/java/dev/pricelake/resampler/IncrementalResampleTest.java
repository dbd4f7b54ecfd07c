package dev.pricelake.resampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ObservedObjectStore;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeLake;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After any sequence of changes, incremental runs leave exactly the files a full rebuild makes. */
class IncrementalResampleTest {
    @TempDir
    Path temp;

    private static Resampler resampler(ObjectStore lake) {
        return new Resampler(lake, Lakes.CALENDAR, Resampler.DEFAULT_INTERVALS, ForkJoinPool.commonPool(), Clock.systemUTC());
    }

    private static Optional<java.util.Collection<Ticker>> touched(String... symbols) {
        return Optional.of(java.util.Arrays.stream(symbols).map(Ticker::of).toList());
    }

    /** Rebuilds a copy of the lake's bronze from scratch and compares every silver object, byte for byte. */
    private void assertSameAsFullRebuild(ObjectStore lake, String step) {
        FileObjectStore copy = new FileObjectStore(temp.resolve("rebuild-" + step));
        for (String key : lake.list(BronzeLake.PREFIX)) {
            copy.put(key, lake.get(key).orElseThrow());
        }
        resampler(copy).full();
        assertThat(lake.list("silver/")).as(step).containsExactlyElementsOf(copy.list("silver/"));
        for (String key : copy.list("silver/")) {
            assertThat(lake.get(key).orElseThrow()).as(step + ": " + key).isEqualTo(copy.get(key).orElseThrow());
        }
    }

    @Test
    void incrementalRunsAlwaysEqualAFullRebuild() {
        FileObjectStore lake = new FileObjectStore(temp.resolve("lake"));
        List<Bar> a = Lakes.bars("AAA", "2023-06-01", "2024-01-31", s -> true, 1);
        List<Bar> b = Lakes.bars("BBB", "2023-06-01", "2024-01-31", s -> s % 9 != 4, 2);
        Lakes.write(lake, a.subList(0, a.size() - 1));
        Lakes.write(lake, b.subList(0, b.size() - 1));
        assertThat(resampler(lake).incremental(touched("AAA", "BBB")).mode()).as("no checkpoint yet: full").isEqualTo("full");
        assertSameAsFullRebuild(lake, "first");

        // A daily append: one new session for every symbol.
        Lakes.write(lake, a.subList(a.size() - 1, a.size()));
        Lakes.write(lake, b.subList(b.size() - 1, b.size()));
        Resampler.Result daily = resampler(lake).incremental(touched("AAA", "BBB"));
        assertThat(daily.mode()).isEqualTo("incremental");
        assertThat(daily.partitionsWritten()).as("the new session's month, and the month its buckets began in")
                .isLessThanOrEqualTo(2L * Resampler.DEFAULT_INTERVALS.size());
        assertSameAsFullRebuild(lake, "daily");

        // A backfill that adds older history to one symbol.
        Lakes.write(lake, Lakes.bars("AAA", "2022-11-01", "2023-05-31", s -> true, 7));
        Resampler.Result older = resampler(lake).incremental(touched("AAA"));
        assertThat(older.symbolsRead()).isEqualTo(1);
        assertSameAsFullRebuild(lake, "older");

        // A corrected bar in the middle of the history, and a brand new symbol.
        Bar old = b.get(40);
        Lakes.write(lake, List.of(new Bar(old.symbol(), old.date(), old.open(), old.high() + 5, old.low(), old.close(),
                old.volume() + 1, null, null)));
        Lakes.write(lake, Lakes.bars("CCC", "2023-09-01", "2024-01-31", s -> true, 3));
        resampler(lake).incremental(touched("BBB", "CCC"));
        assertSameAsFullRebuild(lake, "corrected");

        // Nothing changed: nothing is rewritten.
        assertThat(resampler(lake).incremental(Optional.empty()).partitionsWritten()).isZero();

        // A symbol whose bronze disappeared loses its silver rows.
        lake.delete(BronzeLake.key(Ticker.of("CCC")));
        resampler(lake).incremental(Optional.empty());
        assertSameAsFullRebuild(lake, "deleted");
    }

    @Test
    void aRunThatCrashesBetweenPartitionWritesIsRepairedByTheNext() {
        FileObjectStore disk = new FileObjectStore(temp.resolve("lake"));
        List<Bar> a = Lakes.bars("AAA", "2023-01-03", "2024-01-31", s -> true, 1);
        Lakes.write(disk, a.subList(0, 200));
        Lakes.write(disk, Lakes.bars("BBB", "2023-01-03", "2024-01-31", s -> true, 2));
        resampler(disk).full();
        Lakes.write(disk, a.subList(200, a.size()));

        AtomicInteger puts = new AtomicInteger();
        ObjectStore crashing = new ObservedObjectStore(disk, key -> { }, (key, data) -> {
            if (key.startsWith("silver/") && puts.incrementAndGet() > 3) {
                throw new StoreException("the disk is full", null);
            }
        });
        assertThatThrownBy(() -> resampler(crashing).incremental(touched("AAA"))).isInstanceOf(RuntimeException.class);
        assertThat(puts.get()).isGreaterThan(3);

        // The next run was told of another symbol only; the pending list brings AAA back.
        resampler(disk).incremental(touched("BBB"));
        assertSameAsFullRebuild(disk, "repaired");
    }
}
