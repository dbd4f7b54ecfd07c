package dev.pricelake.resampler;

import dev.pricelake.core.Bar;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/** Small bronze lakes with the shapes the resampler must get right. Volumes are whole numbers, so sums are exact. */
final class Lakes {
    static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final Instant INGESTED = Instant.parse("2026-01-05T11:00:00Z");

    private Lakes() {
    }

    /** Bars of one symbol on every session from..to that {@code present} accepts (by session index). */
    static List<Bar> bars(String symbol, String from, String to, IntPredicate present, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Bar> out = new ArrayList<>();
        double close = 50 + random.nextInt(100);
        for (LocalDate d : CALENDAR.sessions(dev.pricelake.core.DateRange.parse(from, to))) {
            double open = Math.round(close * (1 + 0.01 * (random.nextDouble() - 0.5)) * 100) / 100.0;
            close = Math.round(close * (1 + 0.04 * (random.nextDouble() - 0.5)) * 100) / 100.0;
            double high = Math.max(open, close) + random.nextInt(100) / 100.0;
            double low = Math.min(open, close) - random.nextInt(100) / 100.0;
            double volume = 1000 + random.nextInt(100_000);
            if (present.test(CALENDAR.sessionIndex(d))) {
                out.add(new Bar(Ticker.of(symbol), d, open, high, low, close, volume, null, null));
            }
        }
        return out;
    }

    static void write(ObjectStore lake, List<Bar> bars) {
        Ticker symbol = bars.getFirst().symbol();
        new BronzeLake(lake).merge(symbol, bars.stream().map(b -> new BronzeRow(b, INGESTED)).toList());
    }
}
