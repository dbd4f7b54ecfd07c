package dev.pricelake.core.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.Concurrently;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.ObjectStore;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The universes as JSON in the lake, for readers without PostgreSQL: one file per entry at
 * {@code reference/universes/{type}/{name}/{key}.json} (each part as a key, "Broad Market ETFs" as
 * broad_market_etfs) holding the entry's value, and {@code reference/universes/index.json} listing every entry
 * with its path. The entries are written before the index and stale files deleted after it, so a reader
 * following the index never meets a missing file.
 */
public final class LakeUniverses {
    public static final String PREFIX = "reference/universes/";
    public static final String INDEX = PREFIX + "index.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore lake;

    public LakeUniverses(ObjectStore lake) {
        this.lake = lake;
    }

    public static String key(CacheEntry.Id id) {
        return PREFIX + UniverseBuilder.slug(id.type()) + "/" + UniverseBuilder.slug(id.name()) + "/"
                + UniverseBuilder.slug(id.key()) + ".json";
    }

    /** Replace mode drops the files of entries not written now; append mode keeps them in the index. */
    public void publish(List<CacheEntry> entries, boolean append, Instant now) {
        Map<String, ObjectNode> index = new TreeMap<>();
        if (append) {
            lake.get(INDEX).ifPresent(bytes -> read(bytes).path("entries")
                    .forEach(e -> index.put(e.path("path").asText(), (ObjectNode) e)));
        }
        Map<String, CacheEntry> byPath = new TreeMap<>();
        for (CacheEntry entry : entries) {
            CacheEntry other = byPath.put(key(entry.id()), entry);
            if (other != null) {
                throw new IllegalArgumentException("universe entries " + other.id() + " and " + entry.id()
                        + " would share the lake file " + key(entry.id()));
            }
            ObjectNode line = JSON.createObjectNode();
            line.put("type", entry.id().type());
            line.put("name", entry.id().name());
            line.put("key", entry.id().key());
            line.put("path", key(entry.id()));
            if (entry.listsSymbols()) {
                line.put("count", entry.members().size());
            }
            index.put(key(entry.id()), line);
        }
        Concurrently.forEach(byPath.entrySet(), Concurrently.STORE_CALLS, e -> lake.put(e.getKey(), bytes(e.getValue().value())));
        ObjectNode root = JSON.createObjectNode();
        root.put("updated_at", now.toString());
        ArrayNode list = root.putArray("entries");
        index.values().forEach(list::add);
        lake.put(INDEX, bytes(root));
        Set<String> kept = new HashSet<>(index.keySet());
        kept.add(INDEX);
        List<String> stale = lake.list(PREFIX).stream().filter(k -> !kept.contains(k)).toList();
        Concurrently.forEach(stale, Concurrently.STORE_CALLS, lake::delete);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a universe", e);
        }
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedDataException(INDEX, "is not readable JSON (" + e.getMessage() + "); rebuild without --append");
        }
    }
}
