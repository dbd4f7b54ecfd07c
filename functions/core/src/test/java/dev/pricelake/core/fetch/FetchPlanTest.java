package dev.pricelake.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

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
}
