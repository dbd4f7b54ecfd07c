package dev.pricelake.adapters.polygon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** {@link ApiKey#cached}: read on first use, again after the time to live or a rejection. */
final class CachedApiKey implements ApiKey {
    private final Supplier<String> read;
    private final Duration ttl;
    private final Clock clock;
    private String key;
    private Instant readAt;

    CachedApiKey(Supplier<String> read, Duration ttl, Clock clock) {
        this.read = read;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized String current() {
        Instant now = clock.instant();
        if (key == null || !now.isBefore(readAt.plus(ttl))) {
            key = read.get();
            readAt = now;
        }
        return key;
    }

    @Override
    public synchronized boolean reload() {
        String before = key;
        key = null;
        return !current().equals(before);
    }
}
