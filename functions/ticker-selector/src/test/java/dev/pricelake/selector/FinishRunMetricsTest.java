package dev.pricelake.selector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import org.junit.jupiter.api.Test;

class FinishRunMetricsTest {
    @Test
    void aPartialRunIsOneEmbeddedMetricLineTheAlarmsCanRead() throws Exception {
        RunSummary partial = new RunSummary(new RunId("backfill-20260105-110000-0123abcd"), RunStatus.PARTIAL, 40, 8, 0, 2,
                50_000, 3);
        JsonNode line = new ObjectMapper().readTree(FinishRunHandler.metrics(partial, 1_767_610_800_000L));
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("pricelake");
        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(1_767_610_800_000L);
        directive.get("Metrics").forEach(m -> assertThat(line.has(m.get("Name").asText())).as(m.toString()).isTrue());
        assertThat(line.get("RunsPartial").asInt()).isEqualTo(1);
        assertThat(line.get("RunsComplete").asInt()).isZero();
        assertThat(line.get("TickersRateLimited").asLong()).isEqualTo(8);
        assertThat(line.get("BarsWritten").asLong()).isEqualTo(50_000);
    }
}
