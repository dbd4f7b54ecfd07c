package dev.pricelake.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Verify's input against what the lake holds: the weekly schedule on a lake not yet filled, a symbol not in it. */
class VerifyHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final VerifyHandler handler = new VerifyHandler(lake, Optional.empty(), Optional.empty(), List.of(5),
            Clock.fixed(Instant.parse("2026-01-04T09:00:00Z"), ZoneOffset.UTC));

    @Test
    void theWeeklySampleOfAnEmptyLakeIsAReportThatSaysSoNotAFailure() throws Exception {
        JsonNode out = handler.invoke(JSON.readTree("{\"sample_size\": 500}"));
        assertThat(out.get("clean").asBoolean()).isTrue();
        assertThat(out.at("/totals/symbols").asLong()).isZero();
        assertThat(out.get("notes").toString()).contains("nothing checked: the lake has no bronze files");
        assertThat(lake.get(out.get("report_key").asText())).isPresent();
    }

    @Test
    void aSymbolNotInTheLakeIsNamed() {
        assertThatThrownBy(() -> handler.invoke(JSON.readTree("{\"symbols\": [\"AAPL\"]}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("symbols: AAPL is not in the lake (no bronze file); the lake has 0 symbols");
    }
}
