package dev.pricelake.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** An {@link ObjectStore} in memory, for tests and benchmarks that should not measure a store. */
public final class InMemoryObjectStore implements ObjectStore {
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public void put(String key, byte[] data) {
        objects.put(key, data.clone());
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public List<String> list(String prefix) {
        return objects.subMap(prefix, true, prefix + Character.MAX_VALUE, false).keySet().stream().toList();
    }

    public long totalBytes() {
        return objects.values().stream().mapToLong(b -> b.length).sum();
    }
}
