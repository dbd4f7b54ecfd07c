package dev.pricelake.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Many small object-store calls at once: each is one round trip, so the time is the store's latency and a few
 * dozen in flight hide it. The first failure is rethrown once every call has ended.
 */
public final class Concurrently {
    /** In flight at once: enough to hide S3's latency, fewer than the HTTP client's 50 connections. */
    public static final int STORE_CALLS = 32;

    private Concurrently() {
    }

    public static <T> void forEach(Collection<T> items, int inFlightLimit, Consumer<T> action) {
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore inFlight = new Semaphore(inFlightLimit);
            List<Future<?>> calls = new ArrayList<>(items.size());
            for (T item : items) {
                calls.add(workers.submit(() -> {
                    inFlight.acquireUninterruptibly();
                    try {
                        action.accept(item);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> call : calls) {
                try {
                    call.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the object store", e);
                }
            }
        }
    }
}
