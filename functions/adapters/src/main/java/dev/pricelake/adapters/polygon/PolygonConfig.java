package dev.pricelake.adapters.polygon;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Polygon (or anything that speaks its API).
 *
 * @param apiKey            read when a request needs it, never when the client is built
 * @param requestsPerMinute the limit the client's throttle holds it to, with everyone sharing the throttle's
 *                          limit; 0 means no limit
 * @param maxAttempts       attempts per request on 5xx and timeouts before giving up as transient
 */
public record PolygonConfig(URI baseUrl, ApiKey apiKey, int requestsPerMinute, Duration requestTimeout,
                            int maxAttempts, Duration firstBackoff) {
    public static final URI OFFICIAL_API = URI.create("https://api.polygon.io");
    /** The free plan's limit: the right default against the official host. */
    public static final int FREE_PLAN_REQUESTS_PER_MINUTE = 5;

    public PolygonConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requests per minute must be 0 (no limit) or more, not " + requestsPerMinute);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        String path = baseUrl.getPath();
        if (path != null && path.endsWith("/")) {
            baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        }
    }

    /** A fixed key, as a local command or a test has it. */
    public PolygonConfig(URI baseUrl, String apiKey, int requestsPerMinute, Duration requestTimeout, int maxAttempts,
            Duration firstBackoff) {
        this(baseUrl, ApiKey.fixed(apiKey), requestsPerMinute, requestTimeout, maxAttempts, firstBackoff);
    }

    public static PolygonConfig of(URI baseUrl, String apiKey, Integer requestsPerMinute) {
        return of(baseUrl, ApiKey.fixed(apiKey), requestsPerMinute);
    }

    /** Defaults: 5 requests/minute against the official host, no limit against any other (a simulator). */
    public static PolygonConfig of(URI baseUrl, ApiKey apiKey, Integer requestsPerMinute) {
        int rate = requestsPerMinute != null ? requestsPerMinute
                : baseUrl.getHost() != null && baseUrl.getHost().equals(OFFICIAL_API.getHost())
                        ? FREE_PLAN_REQUESTS_PER_MINUTE : 0;
        return new PolygonConfig(baseUrl, apiKey, rate, Duration.ofSeconds(30), 4, Duration.ofMillis(500));
    }

    public PolygonConfig withRetry(int attempts, Duration backoff) {
        return new PolygonConfig(baseUrl, apiKey, requestsPerMinute, requestTimeout, attempts, backoff);
    }

    public PolygonConfig withRequestsPerMinute(int perMinute) {
        return new PolygonConfig(baseUrl, apiKey, perMinute, requestTimeout, maxAttempts, firstBackoff);
    }

    @Override
    public String toString() {
        return "PolygonConfig[baseUrl=" + baseUrl + ", apiKey=***, requestsPerMinute=" + requestsPerMinute
                + ", requestTimeout=" + requestTimeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
