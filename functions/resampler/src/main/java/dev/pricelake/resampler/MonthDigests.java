package dev.pricelake.resampler;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import dev.pricelake.core.silver.Months;
import java.util.Arrays;

/**
 * A 64-bit digest of a symbol's bars in each calendar month (date, open, high, low, close, volume): an
 * incremental run compares them with the last run's to find the months whose bars changed.
 *
 * @param firstMonth year * 12 + month - 1 of {@code digests[0]}; a month without bars has digest 0
 */
record MonthDigests(int firstMonth, long[] digests) {
    static final MonthDigests NONE = new MonthDigests(0, new long[0]);

    static MonthDigests of(int[] days, double[] o, double[] h, double[] l, double[] c, double[] v, int n) {
        if (n == 0) {
            return NONE;
        }
        int first = SymbolBars.monthOf(days[0]);
        long[] digests = new long[SymbolBars.monthOf(days[n - 1]) - first + 1];
        int month = first;
        int monthEnd = firstDayOfNextMonth(days[0]);
        long h64 = 0;
        for (int i = 0; i < n; i++) {
            if (days[i] >= monthEnd) {
                digests[month - first] = finish(h64);
                month = SymbolBars.monthOf(days[i]);
                monthEnd = firstDayOfNextMonth(days[i]);
                h64 = 0;
            }
            h64 = mix(h64, days[i]);
            h64 = mix(h64, Double.doubleToLongBits(o[i]));
            h64 = mix(h64, Double.doubleToLongBits(h[i]));
            h64 = mix(h64, Double.doubleToLongBits(l[i]));
            h64 = mix(h64, Double.doubleToLongBits(c[i]));
            h64 = mix(h64, Double.doubleToLongBits(v[i]));
        }
        digests[month - first] = finish(h64);
        return new MonthDigests(first, digests);
    }

    /** Months (year * 12 + month - 1) whose digest differs between the two, in order. */
    static int[] changedMonths(MonthDigests before, MonthDigests after) {
        if (before.digests.length == 0 && after.digests.length == 0) {
            return new int[0];
        }
        int from = Math.min(before.start(), after.start());
        int to = Math.max(before.end(), after.end());
        int[] changed = new int[to - from];
        int count = 0;
        for (int m = from; m < to; m++) {
            if (before.at(m) != after.at(m)) {
                changed[count++] = m;
            }
        }
        return Arrays.copyOf(changed, count);
    }

    private int start() {
        return digests.length == 0 ? Integer.MAX_VALUE : firstMonth;
    }

    private int end() {
        return digests.length == 0 ? Integer.MIN_VALUE : firstMonth + digests.length;
    }

    long at(int month) {
        int i = month - firstMonth;
        return i < 0 || i >= digests.length ? 0 : digests[i];
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(firstMonth);
        out.writeInt(digests.length);
        for (long d : digests) {
            out.writeLong(d);
        }
    }

    static MonthDigests readFrom(DataInputStream in) throws IOException {
        int first = in.readInt();
        long[] digests = new long[in.readInt()];
        for (int i = 0; i < digests.length; i++) {
            digests[i] = in.readLong();
        }
        return digests.length == 0 ? NONE : new MonthDigests(first, digests);
    }

    private static int firstDayOfNextMonth(int epochDay) {
        return Months.firstDay(Months.of(epochDay) + 1);
    }

    private static long mix(long h, long value) {
        long x = (h ^ value) * 0x9E3779B97F4A7C15L;
        return Long.rotateLeft(x, 31) * 0xBF58476D1CE4E5B9L;
    }

    /** Never 0, so a month with bars always differs from a month without. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MonthDigests m && m.firstMonth == firstMonth && Arrays.equals(m.digests, digests);
    }

    @Override
    public int hashCode() {
        return 31 * firstMonth + Arrays.hashCode(digests);
    }
}
