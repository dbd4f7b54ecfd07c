package dev.pricelake.core.limit;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link RequestLimit} shared by the threads of one process: right for a single process (a local command, a
 * test), never for Lambda, where each container is a process of its own and only a shared store holds.
 */
public final class InProcessRequestLimit implements RequestLimit {
    private final Map<String, Instant> next = new HashMap<>();

    @Override
    public synchronized Instant reserve(String key, RequestSpacing spacing, Clock clock) {
        Instant slot = spacing.slot(next.get(key), clock.instant());
        next.put(key, spacing.nextAfter(slot));
        return slot;
    }
}
