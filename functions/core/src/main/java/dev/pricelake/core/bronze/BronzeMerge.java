package dev.pricelake.core.bronze;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        Map<String, String> mergedMetadata = new TreeMap<>(replace ? Map.of() : existing.metadata());
        mergedMetadata.putAll(BronzeFile.checked(metadata));
        TreeMap<LocalDate, BronzeRow> stored = new TreeMap<>();
        for (BronzeRow row : existing.rows()) {
            stored.put(row.bar().date(), row);
        }
        TreeMap<LocalDate, BronzeRow> byDate = replace ? new TreeMap<>() : new TreeMap<>(stored);
        int inserted = 0;
        int updated = 0;
        int unchanged = 0;
        for (BronzeRow row : sortedByIngestion(incoming)) {
            LocalDate date = row.bar().date();
            BronzeRow old = byDate.containsKey(date) ? byDate.get(date) : stored.get(date);
            if (old == null) {
                inserted++;
                byDate.put(date, row);
            } else if (old.bar().equals(row.bar())) {
                unchanged++;
                byDate.put(date, old);
            } else {
                updated++;
                byDate.put(date, row);
            }
        }
        int removed = replace ? (int) stored.keySet().stream().filter(d -> !byDate.containsKey(d)).count() : 0;
        return new Result(new ArrayList<>(byDate.values()), mergedMetadata, inserted, updated, unchanged, removed,
                !mergedMetadata.equals(existing.metadata()));
    }

    /** Later ingestion wins when the incoming rows themselves repeat a date. */
    private static List<BronzeRow> sortedByIngestion(List<BronzeRow> rows) {
        List<BronzeRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(BronzeRow::ingestedAt));
        return sorted;
    }
}
