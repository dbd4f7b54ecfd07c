package dev.pricelake.core.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One row of {@code cache_entries}: an organized universe (or a summary, or an application's settings) under
 * (type, name, key). A universe's value is a JSON array of tickers or an object whose {@code tickers} lists them.
 */
public record CacheEntry(Id id, JsonNode value) {
    public CacheEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
    }

    public CacheEntry(String type, String name, String key, JsonNode value) {
        this(new Id(type, name, key), value);
    }

    /** Where an entry is: {@code type/name/key}, as users write it ({@code stock_universe/market_cap/mega_cap}). */
    public record Id(String type, String name, String key) implements Comparable<Id> {
        public Id {
            part("type", type);
            part("name", name);
            part("key", key);
        }

        private static void part(String what, String value) {
            if (value == null || value.isBlank() || value.contains("/")) {
                throw new InvalidInputException("universe entry " + what, "'" + value + "' must be non-empty and without '/'");
            }
        }

        /** Parses {@code type/name/key}; {@code field} names the option or input field in errors. */
        public static Id parse(String field, String text) {
            String[] parts = text == null ? new String[0] : text.split("/", -1);
            if (parts.length != 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
                throw new InvalidInputException(field, "'" + text + "' is not a universe entry: write TYPE/NAME/KEY, such as"
                        + " stock_universe/market_cap/mega_cap");
            }
            return new Id(parts[0], parts[1], parts[2]);
        }

        @Override
        public int compareTo(Id other) {
            int c = type.compareTo(other.type);
            if (c == 0) {
                c = name.compareTo(other.name);
            }
            return c == 0 ? key.compareTo(other.key) : c;
        }

        @Override
        public String toString() {
            return type + "/" + name + "/" + key;
        }
    }

    public String type() {
        return id.type();
    }

    /** The tickers the value lists, in order; empty for an entry that lists none (a summary, settings). */
    public List<String> members() {
        return members(value);
    }

    static List<String> members(JsonNode value) {
        JsonNode list = value.isArray() ? value : value.path("tickers");
        List<String> out = new ArrayList<>();
        list.forEach(t -> out.add(t.asText()));
        return out;
    }

    /** Whether the value lists symbols at all (as opposed to a summary or settings). */
    public boolean listsSymbols() {
        return value.isArray() || value.path("tickers").isArray();
    }
}
