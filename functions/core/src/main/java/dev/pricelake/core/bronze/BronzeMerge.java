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

    public record Result(List<BronzeRow> rows, Map<String, String> metadata, int inserted, int updated, int unchanged,
                         boolean metadataChanged) {
        public Result {
            rows = List.copyOf(rows);
            metadata = BronzeFile.checked(metadata);
        }

        public boolean changed() {
            return inserted > 0 || updated > 0 || metadataChanged;
        }
    }

    public static Result merge(List<BronzeRow> existing, List<BronzeRow> incoming) {
        return merge(new BronzeFile(existing, Map.of()), incoming, Map.of());
    }

    public static Result merge(BronzeFile existing, List<BronzeRow> incoming, Map<String, String> metadata) {
        Map<String, String> mergedMetadata = new TreeMap<>(existing.metadata());
        mergedMetadata.putAll(BronzeFile.checked(metadata));
        TreeMap<LocalDate, BronzeRow> byDate = new TreeMap<>();
        for (BronzeRow row : existing.rows()) {
            byDate.put(row.bar().date(), row);
        }
        int inserted = 0;
        int updated = 0;
        int unchanged = 0;
        for (BronzeRow row : sortedByIngestion(incoming)) {
            BronzeRow old = byDate.get(row.bar().date());
            if (old == null) {
                inserted++;
                byDate.put(row.bar().date(), row);
            } else if (old.bar().equals(row.bar())) {
                unchanged++;
            } else {
                updated++;
                byDate.put(row.bar().date(), row);
            }
        }
        return new Result(new ArrayList<>(byDate.values()), mergedMetadata, inserted, updated, unchanged,
                !mergedMetadata.equals(existing.metadata()));
    }

    /** Later ingestion wins when the incoming rows themselves repeat a date. */
    private static List<BronzeRow> sortedByIngestion(List<BronzeRow> rows) {
        List<BronzeRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(BronzeRow::ingestedAt));
        return sorted;
    }
}
