package dev.pricelake.core.reference;

import dev.pricelake.core.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code universes rebuild}: the symbols table in, every universe out to {@code cache_entries} (replace mode:
 * the owned types deleted and rewritten in one transaction; append mode: added or updated in place) and to
 * the lake.
 */
public final class UniverseRebuild {
    private final SymbolStore symbols;
    private final CacheEntryStore entries;
    private final LakeUniverses lake;
    private final Clock clock;

    public UniverseRebuild(SymbolStore symbols, CacheEntryStore entries, ObjectStore lake, Clock clock) {
        this.symbols = symbols;
        this.entries = entries;
        this.lake = new LakeUniverses(lake);
        this.clock = clock;
    }

    /** What was built, and where the time went (the benchmark prints it). */
    public record Result(int symbols, List<CacheEntry> entries, Map<String, List<String>> leftOut, boolean append,
                         Duration readSymbols, Duration build, Duration writeDatabase, Duration writeLake) {
    }

    public Result rebuild(Themes themes, MarketCapTiers tiers, boolean append) {
        long t0 = System.nanoTime();
        List<Symbol> all = symbols.all();
        long t1 = System.nanoTime();
        UniverseBuilder.Result built = new UniverseBuilder(tiers).build(all, themes);
        long t2 = System.nanoTime();
        Instant now = clock.instant();
        if (append) {
            entries.upsert(built.entries(), now);
        } else {
            entries.replace(UniverseBuilder.OWNED_TYPES, built.entries(), now);
        }
        long t3 = System.nanoTime();
        lake.publish(built.entries(), append, now);
        long t4 = System.nanoTime();
        return new Result(all.size(), built.entries(), built.leftOut(), append, Duration.ofNanos(t1 - t0),
                Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2), Duration.ofNanos(t4 - t3));
    }
}
