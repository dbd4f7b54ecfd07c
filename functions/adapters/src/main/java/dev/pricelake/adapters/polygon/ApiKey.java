package dev.pricelake.adapters.polygon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Where the client gets its key: asked for at the first request, not when the client is built, so a function's
 * init (and a SnapStart snapshot) never holds a key, and a key set or rotated later is picked up.
 */
public interface ApiKey {
    /** The key to send now. */
    String current();

    /**
     * Polygon rejected {@link #current()}: read the key again. True when that gave a different key, worth one
     * more try; false when there is nothing new to try.
     */
    boolean reload();

    /** A key given as it is (a local command's POLYGON_API_KEY, a test): nothing to reload. */
    static ApiKey fixed(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a Polygon API key is required");
        }
        return new ApiKey() {
            @Override
            public String current() {
                return key;
            }

            @Override
            public boolean reload() {
                return false;
            }
        };
    }

    /**
     * A key read from a store (Secrets Manager) when first needed and kept for {@code ttl}, so a rotation reaches
     * a warm container within that time, and at once when Polygon rejects the old key.
     */
    static ApiKey cached(Supplier<String> read, Duration ttl, Clock clock) {
        return new CachedApiKey(read, ttl, clock);
    }
}
