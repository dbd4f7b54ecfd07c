package dev.pricelake.local.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.selector.SelectTickersHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The load-job form's input, judged by the check SelectTickers itself makes of a state machine input. */
class LoadJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-12-02T15:00:00Z"), ZoneOffset.UTC);

    private static ObjectNode form(String loadType, String timespan) {
        ObjectNode form = JSON.createObjectNode();
        form.put("load_type", loadType);
        form.put("symbols", "AAPL, MSFT");
        form.put("universe", "stocks/themes/technology");
        form.put("months", 1);
        form.put("timespan", timespan);
        return form;
    }

    @Test
    void minuteAndDailyJobsOfSymbolsOrAUniverseEntryAreInputsTheSelectorAccepts() {
        for (String loadType : new String[] {"symbols", "universe"}) {
            for (String timespan : new String[] {"day", "minute"}) {
                JsonNode input = LoadJob.input(form(loadType, timespan), CLOCK);
                assertThat(input.get("timespan").asText()).isEqualTo(timespan);
                assertThat(input.get("start").asText()).isEqualTo("2024-11-02");
                assertThatNoException().as("%s %s: %s", loadType, timespan, input).isThrownBy(() -> SelectTickersHandler.check(input));
            }
        }
    }

    @Test
    void aTimespanTheFormDoesNotOfferIsRefusedNamingTheField() {
        assertThatThrownBy(() -> LoadJob.input(form("symbols", "hour"), CLOCK)).isInstanceOf(ApiError.class)
                .hasMessage("Timespan: daily or 1-minute, not 'hour'");
        // The selector would refuse it too: the form's check only says so in the form's words.
        ObjectNode input = LoadJob.input(form("symbols", "minute"), CLOCK);
        input.put("timespan", "hour");
        assertThatThrownBy(() -> SelectTickersHandler.check(input)).isInstanceOf(InvalidInputException.class);
    }
}
