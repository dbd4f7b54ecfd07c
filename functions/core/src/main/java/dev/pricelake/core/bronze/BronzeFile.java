package dev.pricelake.core.bronze;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bronze (or staging) file's rows and the lake's footer metadata: key-value pairs under {@code pricelake.}
 * that describe the whole file (how its prices are adjusted, for instance) and travel with it through a merge.
 */
public record BronzeFile(List<BronzeRow> rows, Map<String, String> metadata) {
    public static final String KEY_PREFIX = "pricelake.";
    public static final BronzeFile EMPTY = new BronzeFile(List.of(), Map.of());

    public BronzeFile {
        rows = List.copyOf(rows);
        metadata = checked(metadata);
    }

    /** The metadata, sorted, once every key is one the lake may set. */
    static Map<String, String> checked(Map<String, String> metadata) {
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!e.getKey().startsWith(KEY_PREFIX) || e.getKey().equals(BronzeParquet.FORMAT_KEY) || e.getValue() == null) {
                throw new IllegalArgumentException("footer metadata key '" + e.getKey() + "' must start with " + KEY_PREFIX
                        + ", have a value and not be " + BronzeParquet.FORMAT_KEY);
            }
        }
        return Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
