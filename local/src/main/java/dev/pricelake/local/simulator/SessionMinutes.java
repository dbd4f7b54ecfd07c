package dev.pricelake.local.simulator;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MinuteBar;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A session's regular-hours minutes cut from its day bar, so the two agree as a real tape and its day bar do: the
 * first minute opens at the day's open, the last closes at its close, one minute's high is the day's high and one's
 * low the day's low (no minute goes outside them), and the volumes add up to the day's. The path between open and
 * close is a Brownian bridge clamped to the day's range; volumes follow the U shape of a trading day. Minutes are cut
 * from the bar as traded and adjusted afterwards exactly as the day bar is, so an adjusted day's open, high, low and
 * close are its minutes' to the last bit.
 */
final class SessionMinutes {
    static final LocalTime OPEN = LocalTime.of(9, 30);

    private SessionMinutes() {
    }

    /** Appends the session's minutes, 09:30 New York to {@code close}, to {@code out}. */
    static void of(Bar traded, double laterRatio, boolean adjusted, LocalTime close, long seed, List<MinuteBar> out) {
        int n = (close.toSecondOfDay() - OPEN.toSecondOfDay()) / 60;
        SplittableRandom random = new SplittableRandom(seed);
        double open = traded.open();
        double high = traded.high();
        double low = traded.low();
        double range = high - low;
        double[] path = bridge(random, n, open, traded.close(), low, high);
        double[] highs = new double[n];
        double[] lows = new double[n];
        for (int k = 0; k < n; k++) {
            double upper = Math.max(path[k], path[k + 1]);
            double lower = Math.min(path[k], path[k + 1]);
            highs[k] = Math.min(high, Math.max(upper, round4(upper + 0.05 * range * random.nextDouble())));
            lows[k] = Math.max(low, Math.min(lower, round4(lower - 0.05 * range * random.nextDouble())));
        }
        highs[random.nextInt(n)] = high;
        lows[random.nextInt(n)] = low;
        double[] volumes = volumes(random, n, traded.volume());
        double ratio = adjusted ? laterRatio : 1;
        Instant first = traded.date().atTime(OPEN).atZone(PolygonSimulator.NEW_YORK).toInstant();
        for (int k = 0; k < n; k++) {
            double vwap = round4((highs[k] + lows[k] + path[k + 1]) / 3);
            long trades = Math.max(1, Math.round(volumes[k] / 120));
            out.add(new MinuteBar(traded.symbol(), first.plusSeconds(60L * k), path[k] / ratio, highs[k] / ratio,
                    lows[k] / ratio, path[k + 1] / ratio, volumes[k] * ratio, vwap / ratio, trades));
        }
    }

    /** n + 1 prices from open to close (both exact), each a 4-decimal price inside [low, high]. */
    private static double[] bridge(SplittableRandom random, int n, double open, double close, double low, double high) {
        double[] walk = new double[n + 1];
        for (int i = 1; i <= n; i++) {
            walk[i] = walk[i - 1] + random.nextDouble() - 0.5;
        }
        // A uniform step's deviation is sqrt(1/12): scale the walk so its excursions are about half the day's range.
        double scale = (high - low) / Math.sqrt(n / 12.0);
        double[] path = new double[n + 1];
        for (int i = 1; i < n; i++) {
            double t = (double) i / n;
            double price = open + (close - open) * t + (walk[i] - walk[n] * t) * scale;
            path[i] = Math.min(high, Math.max(low, round4(price)));
        }
        path[0] = open;
        path[n] = close;
        return path;
    }

    /**
     * Whole shares per minute, heavier at the open and the close, that add up to the day's whole shares; the day's
     * fraction of a share (some listings report fractional volume) goes to the last minute.
     */
    private static double[] volumes(SplittableRandom random, int n, double dayVolume) {
        double whole = Math.floor(dayVolume);
        double[] weights = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            double x = (k - (n - 1) / 2.0) / ((n - 1) / 2.0);
            weights[k] = (1 + 2 * x * x) * (0.5 + random.nextDouble());
            total += weights[k];
        }
        double[] volumes = new double[n];
        double given = 0;
        for (int k = 0; k < n; k++) {
            volumes[k] = Math.floor(whole * weights[k] / total);
            given += volumes[k];
        }
        volumes[0] += whole - given;
        volumes[n - 1] += dayVolume - whole;
        return volumes;
    }

    private static double round4(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
