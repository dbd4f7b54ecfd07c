package dev.pricelake.core.bronze;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Merges new rows into one symbol's bronze rows: one row per date, sorted by date, a new row replaces an old
 * one only when its values differ, so merging the same bars again changes nothing (not even ingested_at).
 * The file's footer metadata takes the incoming entries over the stored ones; the others stay.
 */
public final class BronzeMerge {
    private BronzeMerge() {
    }

    /** @param removed stored rows a replacement did not bring again (a merge removes none) */
    public record Result(List<BronzeRow> rows, Map<String, String> metadata, int inserted, int updated, int unchanged,
                         int removed, boolean metadataChanged) {
        public Result {
            rows = List.copyOf(rows);
            metadata = BronzeFile.checked(metadata);
        }

        public boolean changed() {
            return inserted > 0 || updated > 0 || removed > 0 || metadataChanged;
        }
    }

    public static Result merge(List<BronzeRow> existing, List<BronzeRow> incoming) {
        return merge(new BronzeFile(existing, Map.of()), incoming, Map.of());
    }

    public static Result merge(BronzeFile existing, List<BronzeRow> incoming, Map<String, String> metadata) {
        return combine(existing, incoming, metadata, false);
    }

    /**
     * The incoming rows become the whole file (a history fetched again); a row equal to the stored one keeps its
     * ingested_at, so replacing a file with the same bars changes nothing.
     */
    public static Result replace(BronzeFile existing, List<BronzeRow> incoming, Map<String, String> metadata) {
        return combine(existing, incoming, metadata, true);
    }

    private static Result combine(BronzeFile existing, List<BronzeRow> incoming, Map<String, String> metadata,
            boolean replace) {
        Map<String, String> mergedMetadata = mergedMetadata(existing.metadata(), metadata, replace);
        Rows<BronzeRow> rows = combineRows(existing.rows(), incoming, replace, r -> r.bar().date(), BronzeRow::bar,
                BronzeRow::ingestedAt);
        return new Result(rows.rows(), mergedMetadata, rows.inserted(), rows.updated(), rows.unchanged(), rows.removed(),
                !mergedMetadata.equals(existing.metadata()));
    }

    /** A minute file's merge: as a day file's, one row per minute start. */
    public record MinuteResult(MinuteFile file, int inserted, int updated, int unchanged, boolean changed) {
    }

    /** Merges minute rows into a minute file as {@link #merge(BronzeFile, List, Map)} merges day rows. */
    public static MinuteResult mergeMinutes(MinuteFile existing, List<MinuteRow> incoming, Map<String, String> metadata) {
        Map<String, String> mergedMetadata = mergedMetadata(existing.metadata(), metadata, false);
        Rows<MinuteRow> rows = combineRows(existing.rows(), incoming, false, r -> r.bar().start(), MinuteRow::bar,
                MinuteRow::ingestedAt);
        return new MinuteResult(new MinuteFile(rows.rows(), mergedMetadata), rows.inserted(), rows.updated(),
                rows.unchanged(), rows.inserted() > 0 || rows.updated() > 0 || !mergedMetadata.equals(existing.metadata()));
    }

    private static Map<String, String> mergedMetadata(Map<String, String> stored, Map<String, String> incoming,
            boolean replace) {
        Map<String, String> merged = new TreeMap<>(replace ? Map.of() : stored);
        merged.putAll(BronzeFile.checked(incoming));
        return merged;
    }

    private record Rows<R>(List<R> rows, int inserted, int updated, int unchanged, int removed) {
    }

    /**
     * One row per key, in key order: an incoming row takes a key's place only when its bar differs from the stored one,
     * so the same bars merged again leave every row (and its ingested_at) as it was.
     */
    private static <R, K extends Comparable<K>> Rows<R> combineRows(List<R> existing, List<R> incoming, boolean replace,
            Function<R, K> key, Function<R, ?> bar, Function<R, Instant> ingestedAt) {
        TreeMap<K, R> stored = new TreeMap<>();
        for (R row : existing) {
            stored.put(key.apply(row), row);
        }
        TreeMap<K, R> byKey = replace ? new TreeMap<>() : new TreeMap<>(stored);
        int inserted = 0;
        int updated = 0;
        int unchanged = 0;
        // Later ingestion wins when the incoming rows themselves repeat a key.
        List<R> sorted = new ArrayList<>(incoming);
        sorted.sort(Comparator.comparing(ingestedAt));
        for (R row : sorted) {
            K k = key.apply(row);
            R old = byKey.containsKey(k) ? byKey.get(k) : stored.get(k);
            if (old == null) {
                inserted++;
                byKey.put(k, row);
            } else if (bar.apply(old).equals(bar.apply(row))) {
                unchanged++;
                byKey.put(k, old);
            } else {
                updated++;
                byKey.put(k, row);
            }
        }
        int removed = replace ? (int) stored.keySet().stream().filter(k -> !byKey.containsKey(k)).count() : 0;
        return new Rows<>(new ArrayList<>(byKey.values()), inserted, updated, unchanged, removed);
    }
}
