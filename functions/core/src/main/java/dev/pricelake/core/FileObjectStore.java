package dev.pricelake.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} over a folder, key {@code a/b.parquet} at {@code {root}/a/b.parquet}: the layout
 * S3Proxy serves a bucket from, so the same lake can be read with or without it (benchmarks, DuckDB).
 * A write goes to a temporary file first and is moved into place, so a reader never sees half an object.
 */
public final class FileObjectStore implements ObjectStore {
    private final Path root;

    public FileObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    private Path path(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || key.isEmpty() || key.endsWith("/")) {
            throw new InvalidInputException("key", "'" + key + "' is not an object key under " + root);
        }
        return p;
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("reading " + key + " under " + root + " failed", e);
        }
    }

    @Override
    public void put(String key, byte[] data) {
        Path target = path(key);
        try {
            Files.createDirectories(target.getParent());
            AtomicFiles.write(target, temp -> Files.write(temp, data));
        } catch (IOException e) {
            throw new StoreException("writing " + key + " under " + root + " failed", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new StoreException("deleting " + key + " under " + root + " failed", e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash)).normalize();
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !p.getFileName().toString().startsWith(".")) {
                    keys.add(key);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("listing " + prefix + " under " + root + " failed", e);
        }
        keys.sort(null);
        return keys;
    }
}
