package dev.pricelake.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class FetchPlanTest {
    @Test
    void minutesCostOneRangeCallPerTickerAndTwoCalendarMonths() {
        FetchPlan fourMonths = FetchPlan.minutes(3, 59, LocalDate.of(2024, 11, 15), LocalDate.of(2025, 2, 10));
        assertThat(fourMonths.calls()).as("Nov-Dec and Jan-Feb for each of 3").isEqualTo(6);
        assertThat(fourMonths.method()).isEqualTo(FetchMethod.RANGE);
        assertThat(fourMonths.groupedCalls()).isZero();
        assertThat(fourMonths.reason()).isEqualTo("3 tickers x 59 sessions of minutes: 6 range calls (one per ticker and 2 months)");
        assertThat(FetchPlan.minutes(1, 19, LocalDate.of(2024, 12, 15), LocalDate.of(2025, 1, 10)).calls())
                .as("a range over a year's end within the same two months").isEqualTo(1);
        assertThat(FetchPlan.minutes(1, 21, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 31)).calls()).isEqualTo(1);
        assertThat(FetchPlan.minutes(2, 252, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)).calls()).isEqualTo(12);
    }

    /**
     * The README's model applied by hand: a call costs 12 s on the free plan (5 a minute), 60/N s at N requests a
     * minute, 0.05 s with no limit; a grouped session costs its call plus 0.17 s of reading a whole-market answer.
     */
    @Test
    void theCheaperWayInSecondsIsChosenNotTheOneWithFewerCalls() {
        // Free plan, 253 tickers x 252 sessions: range 253 x 12 = 3,036 s; grouped 252 x 12.17 = 3,066.84 s.
        FetchPlan free = FetchPlan.choose(253, 252, null, 5, false);
        assertThat(free.groupedCalls()).as("fewer grouped calls").isLessThan(free.rangeCalls());
        assertThat(free.method()).isEqualTo(FetchMethod.RANGE);
        assertThat(free.rangeSeconds()).isCloseTo(3036.0, within(1e-9));
        assertThat(free.groupedSeconds()).isCloseTo(3066.84, within(1e-9));
        // Free plan, 300 x 252: range 3,600 s against grouped 3,066.84 s.
        assertThat(FetchPlan.choose(300, 252, null, 5, false).method()).isEqualTo(FetchMethod.GROUPED);
        // No limit (a paid plan's 0), 500 x 252: range 500 x 0.05 = 25 s; grouped 252 x 0.22 = 55.44 s.
        FetchPlan unlimited = FetchPlan.choose(500, 252, null, 0, false);
        assertThat(unlimited.method()).isEqualTo(FetchMethod.RANGE);
        assertThat(unlimited.groupedSeconds()).isCloseTo(55.44, within(1e-9));
        assertThat(unlimited.reason()).contains("500 range calls (one per ticker) rather than 252 grouped-daily calls")
                .contains("about 25 s against 55 s");
        // No limit, the simulator's whole market, 2,920 x 252: range 146 s against grouped 55.44 s.
        assertThat(FetchPlan.choose(2920, 252, null, 0, false).method()).isEqualTo(FetchMethod.GROUPED);
        // 100 requests a minute (0.6 s a call), 400 x 252: range 240 s; grouped 252 x 0.77 = 194.04 s.
        assertThat(FetchPlan.choose(400, 252, null, 100, false).method()).isEqualTo(FetchMethod.GROUPED);
        // 100 a minute, 300 x 252: range 180 s against 194.04 s.
        assertThat(FetchPlan.choose(300, 252, null, 100, false).method()).isEqualTo(FetchMethod.RANGE);
        // As many calls either way (a daily catch-up of one ticker, one session): grouped, though 12.17 s > 12 s.
        assertThat(FetchPlan.choose(1, 1, null, 5, false).method()).isEqualTo(FetchMethod.GROUPED);
        // 600 a minute: 60/600 = 0.1 s, above the round trip; 100 x 10: range 10 s; grouped 10 x 0.27 = 2.7 s.
        assertThat(FetchPlan.choose(100, 10, null, 600, false).rangeSeconds()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void aForcedWayThatCostsMoreSaysSo() {
        FetchPlan forced = FetchPlan.choose(500, 252, FetchMethod.GROUPED, 0, false);
        assertThat(forced.method()).isEqualTo(FetchMethod.GROUPED);
        assertThat(forced.reason()).contains("(forced) instead of 500 range calls").contains(", the cheaper way");
        assertThat(FetchPlan.choose(2920, 252, FetchMethod.GROUPED, 0, false).reason()).doesNotContain("the cheaper way");
    }

    /**
     * Flat files are not rate limited: a session costs a request's round trip (0.05 s) and its whole-market read
     * (0.17 s) at any rate, and the free plan's floor counts none of them.
     */
    @Test
    void dayFlatFilesCostNoRateLimitedCall() {
        // Free plan, 10 tickers x 252 sessions: range 10 x 12 = 120 s; files 252 x 0.22 = 55.44 s (calls: 3,066.84 s).
        FetchPlan files = FetchPlan.choose(10, 252, null, 5, true);
        assertThat(files.method()).isEqualTo(FetchMethod.GROUPED);
        assertThat(files.groupedSeconds()).isCloseTo(55.44, within(1e-9));
        assertThat(FetchPlan.choose(10, 252, null, 5, false).method()).isEqualTo(FetchMethod.RANGE);
        assertThat(files.calls()).as("files read").isEqualTo(252);
        assertThat(files.restCalls()).isZero();
        assertThat(files.freePlanFloor()).isZero();
        assertThat(files.reason()).isEqualTo("10 tickers x 252 sessions: 252 flat files (one per session) rather than 10 range"
                + " calls (one per ticker) (about 55 s against 120 s)");
        // The same run made to take range calls still waits for them: 10 x 12 s.
        FetchPlan range = FetchPlan.choose(10, 252, FetchMethod.RANGE, 5, true);
        assertThat(range.restCalls()).isEqualTo(10);
        assertThat(range.freePlanFloor().toSeconds()).isEqualTo(120);
    }

    @Test
    void minutesFromTheFlatFilesCostOneFileASessionWhateverTheTickers() {
        FetchPlan files = FetchPlan.minuteFiles(100, 59, LocalDate.of(2024, 11, 15), LocalDate.of(2025, 2, 10));
        assertThat(files.method()).isEqualTo(FetchMethod.GROUPED);
        assertThat(files.calls()).isEqualTo(59);
        assertThat(files.rangeCalls()).as("what range calls would have cost").isEqualTo(200);
        assertThat(files.reason()).isEqualTo("100 tickers x 59 sessions of minutes: 59 minute flat files (one per session)"
                + " instead of 200 range calls");
        assertThat(files.freePlanFloor()).as("files are not rate limited").isZero();
        assertThat(FetchPlan.minutes(100, 59, LocalDate.of(2024, 11, 15), LocalDate.of(2025, 2, 10)).freePlanFloor().toSeconds())
                .isEqualTo(200 * 12);
        assertThat(FetchPlan.minuteFiles(0, 59, LocalDate.of(2024, 11, 15), LocalDate.of(2025, 2, 10)).calls()).isZero();
    }
}
