package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarValidatorTest {
    private static final Ticker T = Ticker.of("ABC");
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private final BarValidator validator = new BarValidator(TradingCalendar.nyse());

    private static Bar bar(LocalDate date, double o, double h, double l, double c, double v) {
        return new Bar(T, date, o, h, l, c, v, null, null);
    }

    @Test
    void aConsistentBarIsValid() {
        assertThat(validator.reasons(bar(DAY, 10, 11, 9, 10.5, 1000.5))).isEmpty();
        assertThat(validator.reasons(new Bar(T, DAY, 10, 10, 10, 10, 0, 10.0, 0L))).isEmpty();
    }

    @Test
    void reportsEachDefect() {
        assertThat(validator.reasons(bar(DAY, 10, 9, 11, 10, 1))).anyMatch(r -> r.contains("high 9.0 is below low 11.0"));
        assertThat(validator.reasons(bar(DAY, 10, 10.5, 9, 11, 1))).containsExactly("high 10.5 is below max(open, close) 11.0");
        assertThat(validator.reasons(bar(DAY, 10, 12, 10.2, 11, 1))).containsExactly("low 10.2 is above min(open, close) 10.0");
        assertThat(validator.reasons(bar(DAY, -1, 12, 0, 11, 1))).containsExactly("open -1.0 is negative");
        assertThat(validator.reasons(bar(DAY, 10, Double.NaN, 9, 10, 1))).containsExactly("high is missing or not a finite number (NaN)");
        assertThat(validator.reasons(bar(DAY, 10, 11, 9, 10, Double.POSITIVE_INFINITY))).hasSize(1).first().asString().startsWith("volume");
        assertThat(validator.reasons(new Bar(T, DAY, 10, 11, 9, 10, 1, -2.0, null))).containsExactly("vwap -2.0 is negative");
        assertThat(validator.reasons(new Bar(T, DAY, 10, 11, 9, 10, 1, null, -3L))).containsExactly("transactions -3 is negative");
        assertThat(validator.reasons(bar(LocalDate.of(2024, 3, 2), 10, 11, 9, 10, 1))).containsExactly("date 2024-03-02 (SATURDAY) is not an NYSE session");
        assertThat(validator.reasons(bar(LocalDate.of(1950, 3, 1), 10, 11, 9, 10, 1))).singleElement().asString().contains("not an NYSE session");
    }

    @Test
    void splitsEveryBarIntoExactlyOneListAndCatchesDuplicates() {
        Bar good = bar(DAY, 10, 11, 9, 10, 1);
        Bar bad = bar(DAY.plusDays(3), 10, 9, 11, 10, 1);
        Bar duplicate = bar(DAY, 10, 11, 9, 10.1, 1);
        ValidatedBars result = validator.validate(List.of(good, bad, duplicate));
        assertThat(result.valid()).containsExactly(good);
        assertThat(result.invalid()).extracting(InvalidBar::bar).containsExactly(bad, duplicate);
        assertThat(result.invalid().get(1).reasons()).singleElement().asString().contains("duplicate date 2024-03-01");
    }

    @Test
    void theSameDateOfAnotherSymbolIsNoDuplicate() {
        Bar abc = bar(DAY, 10, 11, 9, 10, 1);
        Bar abd = new Bar(Ticker.of("ABD"), DAY, 10, 11, 9, 10, 1, null, null);
        Bar abcAgain = new Bar(Ticker.of("ABC"), DAY, 10, 11, 9, 10, 1, null, null);
        ValidatedBars result = validator.validate(List.of(abc, abd, abcAgain));
        assertThat(result.valid()).containsExactly(abc, abd);
        assertThat(result.invalid()).extracting(InvalidBar::bar).containsExactly(abcAgain);
    }
}
