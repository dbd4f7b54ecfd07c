package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DateRangeTest {
    @Test
    void endBeforeStartNamesTheEndField() {
        assertThatThrownBy(() -> DateRange.parse("2024-02-01", "2024-01-31"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("end: 2024-01-31 is before start 2024-02-01");
    }

    @Test
    void aMalformedDateNamesItsField() {
        assertThatThrownBy(() -> DateRange.parse("2024-13-01", "2024-12-31"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("start: '2024-13-01' is not a date");
    }

    @Test
    void containsIsInclusive() {
        DateRange range = DateRange.parse("2024-01-02", "2024-01-05");
        assertThat(range.contains(LocalDate.of(2024, 1, 2))).isTrue();
        assertThat(range.contains(LocalDate.of(2024, 1, 5))).isTrue();
        assertThat(range.contains(LocalDate.of(2024, 1, 6))).isFalse();
        assertThat(range.contains(LocalDate.of(2024, 1, 1))).isFalse();
    }
}
