package dev.pricelake.local.lambda;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a local run spends its time, measured where a caller of Lambda would see it: each function's
 * invocations at the Invoke endpoint, and apart from them the cold starts (a container's init phase).
 */
public final class Timings {
    /** Total time and count of one kind of work. */
    public record Total(long nanos, long count) {
    }

    private final Map<String, LongAdder[]> totals = new ConcurrentHashMap<>();

    public Map<String, Total> snapshot() {
        Map<String, Total> out = new TreeMap<>();
        totals.forEach((k, v) -> out.put(k, new Total(v[0].sum(), v[1].sum())));
        return out;
    }

    void record(String what, long nanos) {
        LongAdder[] t = totals.computeIfAbsent(what, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        t[0].add(nanos);
        t[1].increment();
    }
}
