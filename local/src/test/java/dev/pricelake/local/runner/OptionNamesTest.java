package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Errors name what the user typed: options for the input's fields, files and options as they were given. */
class OptionNamesTest {
    @Test
    void fieldsReadAsTheirOptions() {
        assertThat(OptionNames.message(new InvalidInputException("batch_size", "must be 1 to 1000, not 0")))
                .isEqualTo("--batch-size must be 1 to 1000, not 0");
        assertThat(OptionNames.message("selection.universe_entry: 'x/y/z' is not a universe entry"))
                .isEqualTo("--universe-entry 'x/y/z' is not a universe entry");
        assertThat(OptionNames.option("selection.tickers[2]")).isEqualTo("--tickers (item 3)");
        assertThat(OptionNames.option("scheduled_time")).isEqualTo("--as-of");
    }

    @Test
    void filesAndOptionsStayAsGiven() {
        assertThat(OptionNames.message(new InvalidInputException("/tmp/in/bad.csv line 3", "'aapl!' is not a symbol")))
                .isEqualTo("/tmp/in/bad.csv line 3: 'aapl!' is not a symbol");
        assertThat(OptionNames.option("--sic-table")).isEqualTo("--sic-table");
        assertThat(OptionNames.message("Polygon said: 500")).as("not a field").isEqualTo("Polygon said: 500");
    }
}
