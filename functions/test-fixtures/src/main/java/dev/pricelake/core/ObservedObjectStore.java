package dev.pricelake.core;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Another store seen through: each read and write is first shown to the test (which may count it, wait, or throw, as a
 * failing store would), then done.
 */
public final class ObservedObjectStore implements ObjectStore {
    private final ObjectStore store;
    private final Consumer<String> beforeGet;
    private final BiConsumer<String, byte[]> beforePut;

    public ObservedObjectStore(ObjectStore store, Consumer<String> beforeGet, BiConsumer<String, byte[]> beforePut) {
        this.store = store;
        this.beforeGet = beforeGet;
        this.beforePut = beforePut;
    }

    /** Only its reads are shown. */
    public static ObservedObjectStore reads(ObjectStore store, Consumer<String> beforeGet) {
        return new ObservedObjectStore(store, beforeGet, (key, data) -> { });
    }

    @Override
    public Optional<byte[]> get(String key) {
        beforeGet.accept(key);
        return store.get(key);
    }

    @Override
    public void put(String key, byte[] data) {
        beforePut.accept(key, data);
        store.put(key, data);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public List<String> list(String prefix) {
        return store.list(prefix);
    }
}
