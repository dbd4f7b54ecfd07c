package dev.pricelake.core.limit;

import java.time.Duration;
import java.time.Instant;

/**
 * At most {@code limit} requests in any {@code window}, kept by spacing the requests evenly: each goes at least
 * {@link #interval()} after the one booked before it, so {@code limit + 1} requests always span more than the
 * window. Unlike a window of bursts this needs one timestamp of state per key, which a conditional write can
 * move on atomically, and no two processes can ever both burst.
 */
public record RequestSpacing(int limit, Duration window) {
    public RequestSpacing {
        if (limit < 1) {
            throw new IllegalArgumentException("a request limit must be at least 1 a window, not " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive, not " + window);
        }
    }

    /** The window divided by the limit, rounded up to the millisecond so rounding never lets one more in. */
    public Duration interval() {
        long millis = window.toMillis();
        return Duration.ofMillis((millis + limit - 1) / limit);
    }

    /** The slot for a request asked for at {@code now} when the key's next free slot is {@code next} (null: none yet). */
    public Instant slot(Instant next, Instant now) {
        return next == null || next.isBefore(now) ? now : next;
    }

    /** The key's next free slot once {@code slot} is booked. */
    public Instant nextAfter(Instant slot) {
        return slot.plus(interval());
    }
}
