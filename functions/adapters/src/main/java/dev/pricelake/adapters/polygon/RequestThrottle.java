package dev.pricelake.adapters.polygon;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A sliding-window limit of N requests per minute. Polygon's free plan allows 5; going over costs a 429 and
 * a retry, so every thread of a process that talks to one API shares one throttle ({@link #shared}).
 */
public final class RequestThrottle {
    /** A little over a minute, so a window that the server measures slightly later still holds N requests. */
    static final Duration WINDOW = Duration.ofMillis(60_500);
    private static final Map<Integer, RequestThrottle> SHARED = new ConcurrentHashMap<>();
    private static final RequestThrottle UNLIMITED = new RequestThrottle(0, System::nanoTime, RequestThrottle::sleepNanos);

    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** Times (nanoTime) of the last N grants, possibly in the future for callers still waiting. */
    private final long[] grants;
    private int oldest;
    private int granted;

    RequestThrottle(int perMinute, LongSupplier nanoTime, Sleeper sleeper) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("requests per minute must be 0 (no limit) or more, not " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.grants = new long[Math.max(perMinute, 1)];
    }

    /** The process-wide throttle for this rate; 0 means no limit. */
    public static RequestThrottle shared(int perMinute) {
        if (perMinute == 0) {
            return UNLIMITED;
        }
        return SHARED.computeIfAbsent(perMinute, n -> new RequestThrottle(n, System::nanoTime, RequestThrottle::sleepNanos));
    }

    public int perMinute() {
        return perMinute;
    }

    /** Blocks until one more request fits in the window. */
    public void acquire() {
        long wait = reserve();
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the request throttle", e);
            }
        }
    }

    /** Books the next free slot and returns how long the caller must wait for it, in nanoseconds. */
    synchronized long reserve() {
        if (perMinute == 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        long slot = now;
        if (granted == grants.length) {
            slot = Math.max(now, grants[oldest] + WINDOW.toNanos());
        } else {
            granted++;
        }
        grants[oldest] = slot;
        oldest = (oldest + 1) % grants.length;
        return slot - now;
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        Thread.sleep(Duration.ofNanos(nanos));
    }
}
