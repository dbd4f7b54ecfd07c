package dev.pricelake.local.runner;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Where a local run spends its time: each function, the Polygon calls, and the object store by key prefix. */
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

    <T> T time(String what, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            LongAdder[] t = totals.computeIfAbsent(what, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
            t[0].add(System.nanoTime() - start);
            t[1].increment();
        }
    }

    RequestStreamHandler handler(String function, RequestStreamHandler handler) {
        return (in, out, context) -> time("function " + function, () -> {
            try {
                handler.handleRequest(in, out, context);
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    PriceSource priceSource(PriceSource source) {
        return new PriceSource() {
            @Override
            public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
                return time("polygon range call", () -> source.dailyBars(ticker, range, adjusted));
            }

            @Override
            public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
                return time("polygon grouped call", () -> source.groupedDaily(date, adjusted));
            }
        };
    }

    ObjectStore objectStore(ObjectStore store) {
        return new ObjectStore() {
            @Override
            public Optional<byte[]> get(String key) {
                return time("s3 get " + area(key), () -> store.get(key));
            }

            @Override
            public void put(String key, byte[] data) {
                time("s3 put " + area(key), () -> {
                    store.put(key, data);
                    return null;
                });
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }

            @Override
            public List<String> list(String prefix) {
                return store.list(prefix);
            }
        };
    }

    private static String area(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }
}
