package dev.pricelake.core.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Ticker;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThemesTest {
    @Test
    void theDefaultFileHasTheDocumentedThemesWithRealTickers() {
        Themes themes = Themes.bundled();
        assertThat(themes.tickers().keySet()).contains("AI", "Biotech", "Cloud", "Crypto", "Cybersecurity", "EV", "Fintech");
        assertThat(themes.tickers().get("AI")).contains(Ticker.of("NVDA"), Ticker.of("MSFT"));
        assertThat(themes.tickers().get("EV")).contains(Ticker.of("TSLA"));
    }

    @Test
    void commasOrSpacesSeparateTickersAndDuplicatesCountOnce() {
        Themes themes = Themes.parse("# mine\nRobots: ISRG  ABB,ISRG, TER\n\nSpace: RKLB\n", "mine.txt");
        assertThat(themes.tickers()).containsExactly(
                java.util.Map.entry("Robots", List.of(Ticker.of("ISRG"), Ticker.of("ABB"), Ticker.of("TER"))),
                java.util.Map.entry("Space", List.of(Ticker.of("RKLB"))));
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> Themes.parse("AI: NVDA\nnot a theme\n", "--themes mine.txt"))
                .hasMessageStartingWith("--themes mine.txt line 2: 'not a theme' is not a theme");
        assertThatThrownBy(() -> Themes.parse("AI: NVDA, nvda!\n", "mine.txt"))
                .hasMessageStartingWith("mine.txt line 1: theme 'AI': 'nvda!' is not a Polygon stock symbol");
        assertThatThrownBy(() -> Themes.parse("AI: NVDA\nAI: MSFT\n", "mine.txt"))
                .hasMessage("mine.txt line 2: theme 'AI' is already defined above");
        assertThatThrownBy(() -> Themes.parse("A/B: NVDA\n", "mine.txt")).hasMessageContaining("without '/'");
        assertThatThrownBy(() -> Themes.parse("AI:\n", "mine.txt")).hasMessage("mine.txt line 1: theme 'AI' has no tickers");
    }
}
