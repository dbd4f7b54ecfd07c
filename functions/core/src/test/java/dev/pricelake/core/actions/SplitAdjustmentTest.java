package dev.pricelake.core.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitAdjustmentTest {
    private static final Ticker NVDA = Ticker.of("NVDA");
    private static final Ticker FB = Ticker.of("FB");
    private static final Ticker META = Ticker.of("META");

    private static Bar bar(Ticker t, String date, double price, double volume) {
        return new Bar(t, LocalDate.parse(date), price, price * 1.5, price / 2, price, volume, price, 7L);
    }

    @Test
    void barsBeforeASplitAreDividedByItsRatioAndTheirVolumeMultipliedFromItsDayOnTheyStayAsTraded() {
        // NVDA's 10-for-1 of 2024-06-10: 1,200 as traded on the Friday before is 120 adjusted.
        SplitAdjustment adjustment = new SplitAdjustment(List.of(new Split(NVDA, LocalDate.parse("2024-06-10"), 1, 10)), List.of());
        assertThat(adjustment.adjust(bar(NVDA, "2024-06-07", 1200, 1_000)))
                .isEqualTo(new Bar(NVDA, LocalDate.parse("2024-06-07"), 120, 180, 60, 120, 10_000, 120.0, 7L));
        Bar onTheDay = bar(NVDA, "2024-06-10", 120, 5_000);
        assertThat(adjustment.adjust(onTheDay)).isSameAs(onTheDay);
        assertThat(adjustment.adjust(bar(Ticker.of("AMD"), "2024-06-07", 160, 1))).isEqualTo(bar(Ticker.of("AMD"), "2024-06-07", 160, 1));
    }

    @Test
    void aReverseSplitMultipliesEarlierPricesAndSeveralSplitsCompound() {
        SplitAdjustment adjustment = new SplitAdjustment(List.of(new Split(NVDA, LocalDate.parse("2021-07-20"), 1, 4),
                new Split(NVDA, LocalDate.parse("2024-06-10"), 1, 10), new Split(Ticker.of("GE"), LocalDate.parse("2021-08-02"), 8, 1)),
                List.of());
        assertThat(adjustment.adjust(bar(NVDA, "2021-07-19", 800, 1)).close()).isEqualTo(20.0);
        assertThat(adjustment.adjust(bar(NVDA, "2022-01-03", 300, 1)).close()).isEqualTo(30.0);
        assertThat(adjustment.adjust(bar(Ticker.of("GE"), "2021-07-30", 13, 800)).close()).isEqualTo(104.0);
        assertThat(adjustment.adjust(bar(Ticker.of("GE"), "2021-07-30", 13, 800)).volume()).isEqualTo(100.0);
    }

    @Test
    void aBarUnderAnOldTickerTakesTheSplitsItsCompanyExecutedUnderItsNewOne() {
        SplitAdjustment adjustment = new SplitAdjustment(List.of(new Split(META, LocalDate.parse("2023-03-01"), 1, 2),
                new Split(FB, LocalDate.parse("2020-01-02"), 1, 3)),
                List.of(new TickerChange(FB, META, LocalDate.parse("2022-06-09"), null, null)));
        assertThat(adjustment.adjust(bar(FB, "2022-06-08", 200, 1)).close()).isEqualTo(100.0);
        assertThat(adjustment.adjust(bar(FB, "2019-12-31", 600, 1)).close()).isEqualTo(100.0);
        assertThat(adjustment.adjust(bar(META, "2022-06-09", 200, 1)).close()).isEqualTo(100.0);
    }
}
