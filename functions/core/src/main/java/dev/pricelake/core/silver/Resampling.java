package dev.pricelake.core.silver;

import dev.pricelake.core.TradingCalendar;

/**
 * k-session bars of one symbol. Buckets come from the exchange calendar, counted from session 0
 * (1962-01-02), so they are the same for every symbol and never move: bucket = session index / k. A row
 * aggregates the bars present in its bucket; it is complete when the bucket's last session is on or
 * before the last session the lake holds.
 */
public final class Resampling {
    private final TradingCalendar calendar;

    public Resampling(TradingCalendar calendar) {
        this.calendar = calendar;
    }

    public static int bucket(int sessionIndex, int k) {
        return sessionIndex / k;
    }

    /** The session index of a bucket's last session. */
    public static int lastSessionOf(int bucket, int k) {
        return bucket * k + k - 1;
    }

    /** Session indices of the days (days since 1970-01-01); a day that is not a session is an error naming it. */
    public int[] sessionIndices(String symbol, int[] days, int n) {
        int[] sessions = new int[n];
        for (int i = 0; i < n; i++) {
            int s = calendar.sessionIndexOfEpochDay(days[i]);
            if (s < 0) {
                throw new dev.pricelake.core.MalformedDataException("bronze of " + symbol,
                        java.time.LocalDate.ofEpochDay(days[i]) + " is not an NYSE session");
            }
            if (i > 0 && s <= sessions[i - 1]) {
                throw new dev.pricelake.core.MalformedDataException("bronze of " + symbol,
                        "dates are not strictly increasing at " + java.time.LocalDate.ofEpochDay(days[i]));
            }
            sessions[i] = s;
        }
        return sessions;
    }

    /**
     * Appends the symbol's rows for interval k from its bars (sorted, one per session, with their session
     * indices). Only buckets accepted by {@code keep} are emitted (all, for a full rebuild).
     */
    public static void resample(String symbol, int[] days, int[] sessions, double[] open, double[] high, double[] low,
            double[] close, double[] volume, int n, int k, int lastSessionIndex, BucketFilter keep, SilverRows out) {
        int i = 0;
        while (i < n) {
            int b = bucket(sessions[i], k);
            int start = i;
            double h = high[i];
            double l = low[i];
            double v = volume[i];
            i++;
            while (i < n && bucket(sessions[i], k) == b) {
                h = Math.max(h, high[i]);
                l = Math.min(l, low[i]);
                v += volume[i];
                i++;
            }
            if (keep.test(b)) {
                out.add(symbol, days[start], days[i - 1], open[start], h, l, close[i - 1], v, i - start,
                        lastSessionOf(b, k) <= lastSessionIndex);
            }
        }
    }

    /** Which buckets to emit. */
    @FunctionalInterface
    public interface BucketFilter {
        BucketFilter ALL = b -> true;

        boolean test(int bucket);
    }
}
