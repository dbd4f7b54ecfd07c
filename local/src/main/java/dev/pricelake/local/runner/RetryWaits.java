package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The state machine's retry waits in progress, as the local runner announces each when it begins (it chooses the wait
 * as Step Functions does, jitter included): what a person watching a run is told instead of a silent pause.
 */
public final class RetryWaits {
    /**
     * One wait before a retry of a state.
     *
     * @param execution the root execution's name (a distributed Map's child waits under its parent's)
     */
    public record Wait(String execution, String child, String state, String error, Duration length, Instant until,
                       int attempt, int maxAttempts) {
        static Wait of(JsonNode announced) {
            return new Wait(announced.path("execution").asText(), announced.path("child").asText(),
                    announced.path("state").asText(), announced.path("error").asText(),
                    Duration.ofMillis(Math.round(announced.path("seconds").asDouble() * 1000)),
                    Instant.parse(announced.path("until").asText()), announced.path("attempt").asInt(),
                    announced.path("max_attempts").asInt());
        }

        /** "waiting 40 s for the Polygon rate limit (FetchPrices, retry 2 of 5)", the time left as of {@code now}. */
        public String text(Instant now) {
            Duration left = Duration.between(now, until);
            Duration shown = left.compareTo(length) > 0 ? length : left.isNegative() ? Duration.ZERO : left;
            return String.format(Locale.ROOT, "waiting %s for %s (%s, retry %d of %d)", seconds(shown), reason(error), state,
                    attempt, maxAttempts);
        }

        private static String seconds(Duration d) {
            long millis = d.toMillis();
            return millis < 10_000 && millis % 1000 != 0 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                    : ProgressLine.clock(d);
        }

        /** What the error means to a person waiting. */
        private static String reason(String error) {
            return switch (error.substring(error.lastIndexOf('.') + 1)) {
                case "RateLimitedException" -> "the Polygon rate limit";
                case "LakeBusyException" -> "another run's writer lease on the lake";
                case "TransientUpstreamException" -> "a passing upstream error to clear";
                case "IncompleteDataException" -> "the session's data to be complete";
                default -> error;
            };
        }
    }

    private final Map<String, Wait> waits = new ConcurrentHashMap<>();
    private volatile Consumer<Wait> listener = wait -> { };

    /** A runner announced a wait (its JSON line's {@code retry_wait}). */
    void started(JsonNode announced) {
        Wait wait = Wait.of(announced);
        waits.put(wait.execution() + "/" + wait.child() + "/" + wait.state(), wait);
        listener.accept(wait);
    }

    /** Told of each wait as it begins. */
    void onStart(Consumer<Wait> listener) {
        this.listener = listener;
    }

    /** The waits not over at {@code now}, of one execution (or of all, with null), the longest first. */
    public List<Wait> current(String execution, Instant now) {
        waits.values().removeIf(w -> !w.until().isAfter(now));
        return waits.values().stream().filter(w -> execution == null || w.execution().equals(execution))
                .sorted(Comparator.comparing(Wait::until).reversed()).toList();
    }
}
