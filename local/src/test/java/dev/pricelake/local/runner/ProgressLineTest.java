package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line's figures, worked out by hand. */
class ProgressLineTest {
    private static final RunId RUN = new RunId("backfill-20260105-110000-abcdef12");

    private static RunSummary summary(long succeeded, long rateLimited, long pending) {
        return new RunSummary(RUN, RunStatus.RUNNING, succeeded, rateLimited, 0, pending, 1234, 0);
    }

    @Test
    void theEstimateIsTheSlowerOfThePaceSoFarAndThePlansCallsAtTheRateLimit() throws Exception {
        // 100 tickers, one call each: at the free plan (5 a minute) 1,200 s in all.
        JsonNode plan = new ObjectMapper().readTree("[{\"calls\": 100, \"free_plan_floor_seconds\": 1200}]");
        // 20 done in the 60 s since the first: 80 left at that pace is 240 s; at 10 a minute the calls need 480 s.
        String limited = ProgressLine.of(summary(19, 1, 80), plan, 10, Duration.ofSeconds(75), Duration.ofSeconds(60));
        assertThat(limited).isEqualTo(RUN + ": 19/100 tickers done, 1,234 bars, 1 rate-limited, 0 failed, 1m15s elapsed,"
                + " ETA 8m00s");
        // No rate limit: the pace decides.
        assertThat(ProgressLine.of(summary(20, 0, 80), plan, 0, Duration.ofSeconds(75), Duration.ofSeconds(60)))
                .endsWith("ETA 4m00s");
        assertThat(ProgressLine.of(summary(0, 0, 100), null, 0, Duration.ofSeconds(5), null)).endsWith("ETA unknown yet");
        assertThat(ProgressLine.of(summary(100, 0, 0), plan, 5, Duration.ofHours(2).plusMinutes(3), Duration.ofHours(2)))
                .endsWith("2h03m elapsed");
    }
}
