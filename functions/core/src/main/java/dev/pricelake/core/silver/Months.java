package dev.pricelake.core.silver;

import java.time.LocalDate;

/**
 * Calendar months as numbers (year * 12 + month - 1) from days since 1970-01-01, by table lookup: the
 * resampler asks for millions of them, and LocalDate arithmetic for each one shows in a profile.
 */
public final class Months {
    private static final int FIRST_YEAR = 1900;
    private static final int LAST_YEAR = 2100;
    private static final int FIRST_DAY = (int) LocalDate.of(FIRST_YEAR, 1, 1).toEpochDay();
    private static final int[] MONTH_OF_DAY;
    private static final int[] FIRST_DAY_OF_MONTH;

    static {
        int days = (int) (LocalDate.of(LAST_YEAR + 1, 1, 1).toEpochDay() - FIRST_DAY);
        MONTH_OF_DAY = new int[days];
        FIRST_DAY_OF_MONTH = new int[(LAST_YEAR - FIRST_YEAR + 1) * 12 + 1];
        for (int m = 0; m < FIRST_DAY_OF_MONTH.length; m++) {
            FIRST_DAY_OF_MONTH[m] = (int) LocalDate.of(FIRST_YEAR + m / 12, m % 12 + 1, 1).toEpochDay();
        }
        for (int m = 0; m + 1 < FIRST_DAY_OF_MONTH.length; m++) {
            for (int d = FIRST_DAY_OF_MONTH[m]; d < FIRST_DAY_OF_MONTH[m + 1]; d++) {
                MONTH_OF_DAY[d - FIRST_DAY] = FIRST_YEAR * 12 + m;
            }
        }
    }

    private Months() {
    }

    public static int of(int epochDay) {
        int i = epochDay - FIRST_DAY;
        if (i >= 0 && i < MONTH_OF_DAY.length) {
            return MONTH_OF_DAY[i];
        }
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        return d.getYear() * 12 + d.getMonthValue() - 1;
    }

    /** Days since 1970-01-01 of the first day of the month. */
    public static int firstDay(int month) {
        int i = month - FIRST_YEAR * 12;
        if (i >= 0 && i < FIRST_DAY_OF_MONTH.length) {
            return FIRST_DAY_OF_MONTH[i];
        }
        return (int) LocalDate.of(month / 12, month % 12 + 1, 1).toEpochDay();
    }
}
