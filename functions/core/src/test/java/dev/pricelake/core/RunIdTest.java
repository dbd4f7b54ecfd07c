package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RunIdTest {
    @Test
    void backfillIdCarriesTheUtcStartAndEightHexDigits() {
        RunId id = RunId.backfill(Instant.parse("2024-03-05T14:07:09Z"), new SplittableRandom(1));
        assertThat(id.value()).matches("backfill-20240305-140709-[0-9a-f]{8}");
        assertThat(new RunId(id.value())).isEqualTo(id);
        assertThat(id.isDaily()).isFalse();
    }

    @Test
    void twoBackfillsInTheSameSecondDiffer() {
        SplittableRandom random = new SplittableRandom(7);
        Instant now = Instant.parse("2024-03-05T14:07:09Z");
        assertThat(RunId.backfill(now, random)).isNotEqualTo(RunId.backfill(now, random));
    }

    @Test
    void dailyIdIsTheTradingDay() {
        RunId id = RunId.daily(LocalDate.of(2024, 11, 29));
        assertThat(id.value()).isEqualTo("daily-20241129");
        assertThat(id.isDaily()).isTrue();
    }

    @Test
    void aSymbolsRefreshIsStampedLikeABackfill() {
        RunId id = RunId.symbols(Instant.parse("2024-03-05T14:07:09Z"), new SplittableRandom(1));
        assertThat(id.value()).matches("symbols-20240305-140709-[0-9a-f]{8}");
        assertThat(new RunId(id.value())).isEqualTo(id);
        assertThat(id.isSymbols()).isTrue();
        assertThat(id.isDaily()).isFalse();
    }

    @Test
    void aClientMayNameItsRunAndADayMayBeForcedAgain() {
        assertThat(new RunId("sp500-2024.v2").isDaily()).isFalse();
        assertThat(new RunId("backfill-nightly").value()).isEqualTo("backfill-nightly");
        RunId rerun = RunId.dailyRerun(LocalDate.of(2024, 11, 29), 2);
        assertThat(rerun.value()).isEqualTo("daily-20241129-2");
        assertThat(rerun.isDaily()).isTrue();
        assertThat(rerun.dailyDate()).contains(LocalDate.of(2024, 11, 29));
        assertThat(new RunId("sp500").dailyDate()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"backfill-20241301-000000-0123abcd", "symbols-20240101-000000-0123abc", "backfill-20240101-250000-0123abcd",
            "backfill-20240101-000000-0123ABCD", "daily-20240230", "daily-2024011", "daily-20240102-1", "daily-mine", "symbols-mine",
            "-leading-dash", "has space", "a/b", ""})
    void rejectsMalformedIdsNamingTheField(String value) {
        assertThatThrownBy(() -> new RunId(value))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("run_id: '" + value + "'");
    }
}
