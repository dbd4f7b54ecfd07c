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
     * so the same bars merged again leave every row (and its ingested_at) as it was. One pass over the two lists in key
     * order: a day's append to a whole market rewrites every file, and building trees of each file's rows took a
     * quarter of a merge that writes nothing (README, Benchmarks, the bronze benchmark).
     */
    private static <R, K extends Comparable<K>> Rows<R> combineRows(List<R> existing, List<R> incoming, boolean replace,
            Function<R, K> key, Function<R, ?> bar, Function<R, Instant> ingestedAt) {
        List<R> stored = oneAKey(existing, key, bar, Comparator.comparing(key));
        // Later ingestion wins when the incoming rows themselves repeat a key.
        List<R> fetched = oneAKey(incoming, key, bar, Comparator.comparing(key).thenComparing(ingestedAt));
        List<R> rows = new ArrayList<>(stored.size() + fetched.size());
        int inserted = 0;
        int updated = 0;
        int unchanged = 0;
        int removed = 0;
        int s = 0;
        int f = 0;
        while (s < stored.size() || f < fetched.size()) {
            int order = s == stored.size() ? 1 : f == fetched.size() ? -1
                    : key.apply(stored.get(s)).compareTo(key.apply(fetched.get(f)));
            if (order < 0) {
                if (replace) {
                    removed++;
                } else {
                    rows.add(stored.get(s));
                }
                s++;
            } else if (order > 0) {
                inserted++;
                rows.add(fetched.get(f++));
            } else {
                R old = stored.get(s++);
                R row = fetched.get(f++);
                if (bar.apply(old).equals(bar.apply(row))) {
                    unchanged++;
                    rows.add(old);
                } else {
                    updated++;
                    rows.add(row);
                }
            }
        }
        return new Rows<>(rows, inserted, updated, unchanged, removed);
    }

    /**
     * The rows in key order with one a key: of rows sharing a key, in {@code order}, a later one takes the place only
     * when its bar differs. The rows themselves when already so, as a written file's rows and a fetch's bars come.
     */
    private static <R, K extends Comparable<K>> List<R> oneAKey(List<R> rows, Function<R, K> key, Function<R, ?> bar,
            Comparator<R> order) {
        if (ascending(rows, key)) {
            return rows;
        }
        List<R> sorted = new ArrayList<>(rows);
        sorted.sort(order);
        List<R> out = new ArrayList<>(sorted.size());
        for (R row : sorted) {
            if (!out.isEmpty() && key.apply(out.getLast()).compareTo(key.apply(row)) == 0) {
                if (!bar.apply(out.getLast()).equals(bar.apply(row))) {
                    out.set(out.size() - 1, row);
                }
            } else {
                out.add(row);
            }
        }
        return out;
    }

    /** Whether each row's key is greater than the one before it, as a written file's rows and a fetch's bars come. */
    private static <R, K extends Comparable<K>> boolean ascending(List<R> rows, Function<R, K> key) {
        K previous = null;
        for (R row : rows) {
            K next = key.apply(row);
            if (previous != null && previous.compareTo(next) >= 0) {
                return false;
            }
            previous = next;
        }
        return true;
    }
}
