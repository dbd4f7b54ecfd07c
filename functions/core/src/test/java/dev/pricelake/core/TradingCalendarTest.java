package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TradingCalendarTest {
    private final TradingCalendar calendar = TradingCalendar.nyse();

    @Test
    void sessionZeroIsTheFirstTradingDayOf1962() {
        assertThat(calendar.sessionIndex(LocalDate.of(1962, 1, 2))).isZero();
        assertThat(calendar.session(0)).isEqualTo(LocalDate.of(1962, 1, 2));
        assertThat(calendar.session(1)).isEqualTo(LocalDate.of(1962, 1, 3));
        assertThat(calendar.isSession(LocalDate.of(1962, 1, 1))).isFalse();
    }

    @ParameterizedTest(name = "{0} has {1} sessions")
    @CsvSource({"2019,252", "2020,253", "2021,252", "2022,251", "2023,250", "2024,252", "2025,250"})
    void yearSessionCountsMatchTheExchange(int year, int sessions) {
        assertThat(calendar.sessionsBetween(new DateRange(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31))))
                .isEqualTo(sessions);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1963-11-25", "1968-06-12", "1968-12-18", "1968-07-05", "1969-07-21", "1976-11-02", "1980-11-04",
            "1977-07-14", "1985-09-27", "1994-04-27", "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14",
            "2004-06-11", "2007-01-02", "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09",
            "2022-06-20", "2023-06-19", "2024-03-29", "2021-12-24", "2022-12-26", "2023-01-02", "1999-01-18",
            "2026-11-26", "2027-06-18", "2035-12-25"})
    void closedOnHolidaysAndOneOffClosures(String date) {
        assertThat(calendar.isSession(LocalDate.parse(date))).as(date).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2001-09-17", "2012-10-31", "1977-11-08", "1981-11-03", "2021-06-18", "2021-12-31", "2022-01-03",
            "1997-01-20", "2024-11-29", "1985-09-26", "1968-06-13", "2011-12-30"})
    void openWhereTheRulesOfThatTimeSayOpen(String date) {
        assertThat(calendar.isSession(LocalDate.parse(date))).as(date).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"2024-11-29,13:00", "2024-12-24,13:00", "2024-07-03,13:00", "2013-07-03,13:00",
            "2002-07-05,13:00", "2012-07-03,13:00", "1997-12-26,13:00", "1999-12-31,13:00", "1992-11-27,14:00", "2024-11-27,16:00",
            "2013-07-05,16:00"})
    void closeTimesIncludeEarlyCloses(String date, String close) {
        assertThat(calendar.closeTime(LocalDate.parse(date))).isEqualTo(LocalTime.parse(close));
    }

    @Test
    void sessionIndexOfAClosedDayNamesTheDate() {
        assertThatThrownBy(() -> calendar.sessionIndex(LocalDate.of(2024, 12, 25)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("2024-12-25 is not an NYSE session");
    }

    @Test
    void navigatesAroundClosedDays() {
        assertThat(calendar.onOrAfter(LocalDate.of(2024, 12, 25))).isEqualTo(LocalDate.of(2024, 12, 26));
        assertThat(calendar.onOrBefore(LocalDate.of(2024, 12, 25))).isEqualTo(LocalDate.of(2024, 12, 24));
        assertThat(calendar.sessions(DateRange.parse("2024-12-21", "2024-12-27")))
                .containsExactly(LocalDate.of(2024, 12, 23), LocalDate.of(2024, 12, 24),
                        LocalDate.of(2024, 12, 26), LocalDate.of(2024, 12, 27));
        int index = calendar.sessionIndex(LocalDate.of(2024, 12, 24));
        assertThat(calendar.session(index + 1)).isEqualTo(LocalDate.of(2024, 12, 26));
    }

    @Test
    void coversAtLeastThrough2035() {
        assertThat(calendar.isSession(LocalDate.of(2035, 12, 31))).isTrue();
        assertThat(calendar.session(calendar.sessionCount() - 1).getYear()).isEqualTo(TradingCalendar.LAST_YEAR);
    }

    @Test
    void easterMatchesKnownDates() {
        assertThat(TradingCalendar.easterSunday(2024)).isEqualTo(LocalDate.of(2024, 3, 31));
        assertThat(TradingCalendar.easterSunday(2025)).isEqualTo(LocalDate.of(2025, 4, 20));
        assertThat(TradingCalendar.easterSunday(1962)).isEqualTo(LocalDate.of(1962, 4, 22));
    }

    @Test
    void closuresFileHasAVersionAndRejectsABadLineByNumber() {
        assertThat(calendar.version()).isNotBlank();
        String bad = "version test\n1968-06-12 closed ok\n2001-09-11 shut typo\n";
        assertThatThrownBy(() -> TradingCalendar.parse(new BufferedReader(new StringReader(bad))))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("line 3");
    }
}
