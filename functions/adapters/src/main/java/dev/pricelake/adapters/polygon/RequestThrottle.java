package dev.pricelake.adapters.polygon;

import dev.pricelake.core.limit.InProcessRequestLimit;
import dev.pricelake.core.limit.RequestLimit;
import dev.pricelake.core.limit.RequestSpacing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds a client to N requests a minute against one API, counted across everyone who shares the
 * {@link RequestLimit}: in Lambda the progress table, which every container of every function reads, so
 * {@code max_concurrency} 2 still sends 5 a minute on the free plan, not 10. Going over costs a 429 and a retry.
 */
public final class RequestThrottle {
    /**
     * A second over a minute: a request leaves a little after its slot (booking it, a cold connection), and the
     * server measures arrivals; the second keeps N in its minute however those delays vary.
     */
    static final Duration WINDOW = Duration.ofSeconds(61);
    /** Waits shorter than this are not worth a log line. */
    private static final Duration NOTEWORTHY = Duration.ofSeconds(1);
    private static final RequestLimit PROCESS = new InProcessRequestLimit();

    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Told of every wait of a second or more before it starts, so a person sees why nothing moves. */
    public interface WaitListener {
        void waiting(Duration wait, int perMinute);
    }

    private final RequestLimit limit;
    private final Clock clock;
    private final Sleeper sleeper;
    private final WaitListener onWait;

    public RequestThrottle(RequestLimit limit, WaitListener onWait) {
        this(limit, Clock.systemUTC(), Thread::sleep, onWait);
    }

    RequestThrottle(RequestLimit limit, Clock clock, Sleeper sleeper, WaitListener onWait) {
        this.limit = limit;
        this.clock = clock;
        this.sleeper = sleeper;
        this.onWait = onWait;
    }

    /** Every thread of this process shares one limit per API: right for one process, never for Lambda. */
    public static RequestThrottle inProcess() {
        return new RequestThrottle(PROCESS, (wait, perMinute) -> { });
    }

    /** Blocks until one more request to {@code api} fits in {@code perMinute}; 0 means no limit. */
    public void acquire(String api, int perMinute) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("requests per minute must be 0 (no limit) or more, not " + perMinute);
        }
        if (perMinute == 0) {
            return;
        }
        Instant slot = limit.reserve(api, new RequestSpacing(perMinute, WINDOW), clock);
        Duration wait = Duration.between(clock.instant(), slot);
        if (wait.compareTo(NOTEWORTHY) >= 0) {
            onWait.waiting(wait, perMinute);
        }
        if (wait.isPositive()) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the request limit", e);
            }
        }
    }
}
