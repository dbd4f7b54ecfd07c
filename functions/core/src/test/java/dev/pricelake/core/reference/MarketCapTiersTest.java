package dev.pricelake.core.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarketCapTiersTest {
    @Test
    void theIssuesBoundsAreTheDefaultAndEachBoundBelongsToTheTierItStarts() {
        assertThat(MarketCapTiers.parse("--tier-bounds", "200B,10B,2B,300M")).isEqualTo(MarketCapTiers.DEFAULT);
        MarketCapTiers t = MarketCapTiers.DEFAULT;
        assertThat(t.tier(200e9)).contains("mega_cap");
        assertThat(t.tier(199.9e9)).contains("large_cap");
        assertThat(t.tier(10e9)).contains("large_cap");
        assertThat(t.tier(2e9)).contains("mid_cap");
        assertThat(t.tier(300e6)).contains("small_cap");
        assertThat(t.tier(299e6)).contains("micro_cap");
        assertThat(t.tier(0.0)).isEmpty();
        assertThat(t.tier(null)).isEmpty();
        assertThat(t.bounds("large_cap")).isEqualTo("$10B to $200B");
        assertThat(t.bounds("micro_cap")).isEqualTo("under $300M");
        assertThat(MarketCapTiers.parse("x", "1T, 50b, 5000000000, 0.5B").large()).isEqualTo(50e9);
    }

    @Test
    void badBoundsNameTheOption() {
        assertThatThrownBy(() -> MarketCapTiers.parse("--tier-bounds", "200B,10B,2B"))
                .hasMessageStartingWith("--tier-bounds: '200B,10B,2B' must be four bounds");
        assertThatThrownBy(() -> MarketCapTiers.parse("--tier-bounds", "200B,10B,20B,300M"))
                .hasMessageStartingWith("--tier-bounds: bounds must be finite and fall strictly");
        assertThatThrownBy(() -> MarketCapTiers.parse("--tier-bounds", "200B,ten,2B,300M"))
                .hasMessageStartingWith("--tier-bounds: 'ten' is not an amount");
    }
}
