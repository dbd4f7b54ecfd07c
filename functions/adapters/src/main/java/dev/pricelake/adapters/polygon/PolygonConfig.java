package dev.pricelake.adapters.polygon;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Polygon (or anything that speaks its API).
 *
 * @param requestsPerMinute client-side limit shared by the process; 0 means no limit
 * @param maxAttempts       attempts per request on 5xx and timeouts before giving up as transient
 */
public record PolygonConfig(URI baseUrl, String apiKey, int requestsPerMinute, Duration requestTimeout,
                            int maxAttempts, Duration firstBackoff) {
    public static final URI OFFICIAL_API = URI.create("https://api.polygon.io");
    /** The free plan's limit: the right default against the official host. */
    public static final int FREE_PLAN_REQUESTS_PER_MINUTE = 5;

    public PolygonConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("a Polygon API key is required");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        String path = baseUrl.getPath();
        if (path != null && path.endsWith("/")) {
            baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        }
    }

    /** Defaults: 5 requests/minute against the official host, no limit against any other (a simulator). */
    public static PolygonConfig of(URI baseUrl, String apiKey, Integer requestsPerMinute) {
        int rate = requestsPerMinute != null ? requestsPerMinute
                : baseUrl.getHost() != null && baseUrl.getHost().equals(OFFICIAL_API.getHost())
                        ? FREE_PLAN_REQUESTS_PER_MINUTE : 0;
        return new PolygonConfig(baseUrl, apiKey, rate, Duration.ofSeconds(30), 4, Duration.ofMillis(500));
    }

    public PolygonConfig withRetry(int attempts, Duration backoff) {
        return new PolygonConfig(baseUrl, apiKey, requestsPerMinute, requestTimeout, attempts, backoff);
    }

    @Override
    public String toString() {
        return "PolygonConfig[baseUrl=" + baseUrl + ", apiKey=***, requestsPerMinute=" + requestsPerMinute
                + ", requestTimeout=" + requestTimeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
