package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line's figures, worked out by hand. */
class ProgressLineTest {
    private static final RunId RUN = new RunId("backfill-20260105-110000-abcdef12");
    private static final Instant NOW = Instant.parse("2026-01-05T11:01:15Z");

    private static RunSummary summary(long succeeded, long rateLimited, long pending) {
        return new RunSummary(RUN, RunStatus.RUNNING, succeeded, rateLimited, 0, pending, 1234, 0);
    }

    @Test
    void theEstimateIsTheSlowerOfThePaceSoFarAndThePlansCallsAtTheRateLimit() throws Exception {
        // 100 tickers, one call each: at the free plan (5 a minute) 1,200 s in all.
        JsonNode plan = new ObjectMapper().readTree("[{\"calls\": 100, \"free_plan_floor_seconds\": 1200}]");
        // 20 done in the 60 s since the first: 80 left at that pace is 240 s; at 10 a minute the calls need 480 s.
        String limited = ProgressLine.of(summary(19, 1, 80), plan, 10, Duration.ofSeconds(75), Duration.ofSeconds(60), List.of(), NOW);
        assertThat(limited).isEqualTo(RUN + ": 19/100 tickers done, 1,234 bars, 1 rate-limited, 0 failed, 1m15s elapsed,"
                + " ETA 8m00s");
        // No rate limit: the pace decides.
        assertThat(ProgressLine.of(summary(20, 0, 80), plan, 0, Duration.ofSeconds(75), Duration.ofSeconds(60), List.of(), NOW))
                .endsWith("ETA 4m00s");
        assertThat(ProgressLine.of(summary(0, 0, 100), null, 0, Duration.ofSeconds(5), null, List.of(), NOW)).endsWith("ETA unknown yet");
        assertThat(ProgressLine.of(summary(100, 0, 0), plan, 5, Duration.ofHours(2).plusMinutes(3), Duration.ofHours(2), List.of(), NOW))
                .endsWith("2h03m elapsed");
    }

    @Test
    void aRetryWaitInProgressIsToldWithTheTimeLeftAndWhatItWaitsFor() {
        // The second rate-limit retry of FetchPrices: 40 s chosen 8 s ago; another batch waits 5 s for a passing error.
        RetryWaits.Wait rateLimit = new RetryWaits.Wait("local-1", "batch-0", "FetchPrices",
                "dev.pricelake.core.RateLimitedException", Duration.ofSeconds(40), NOW.plusSeconds(32), 2, 5);
        RetryWaits.Wait transient_ = new RetryWaits.Wait("local-1", "batch-1", "FetchPrices",
                "dev.pricelake.core.TransientUpstreamException", Duration.ofSeconds(5), NOW.plusMillis(1500), 1, 3);
        assertThat(ProgressLine.of(summary(20, 0, 80), null, 0, Duration.ofSeconds(75), null, List.of(rateLimit), NOW))
                .endsWith("ETA unknown yet; waiting 32 s for the Polygon rate limit (FetchPrices, retry 2 of 5)");
        assertThat(ProgressLine.of(summary(20, 0, 80), null, 0, Duration.ofSeconds(75), null, List.of(rateLimit, transient_), NOW))
                .endsWith("(FetchPrices, retry 2 of 5) and 1 more retry waiting");
        assertThat(transient_.text(NOW)).isEqualTo("waiting 1.5 s for a passing upstream error to clear (FetchPrices, retry 1 of 3)");
        assertThat(rateLimit.text(NOW.plusSeconds(60))).startsWith("waiting 0 s for");
    }
}
