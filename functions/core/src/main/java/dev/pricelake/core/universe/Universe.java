package dev.pricelake.core.universe;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ReferenceSource.ListedTicker;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tickers of some Polygon types (CS, ETF, ...) as listed at {@code fetchedAt}; with delisted ones too when
 * asked, so a backfill over the past is free of survivorship bias.
 *
 * @param fromCache true when this came from the lake's cached copy rather than the source
 */
public record Universe(Query query, Instant fetchedAt, boolean fromCache, List<ListedTicker> tickers,
                       List<String> unrecognizedSymbols) {
    public Universe {
        tickers = List.copyOf(tickers);
        unrecognizedSymbols = List.copyOf(unrecognizedSymbols);
    }

    /**
     * @param types Polygon ticker types, upper case; empty for every type
     */
    public record Query(Set<String> types, boolean includeDelisted) {
        /** The stock ticker types Polygon's /v3/reference/tickers/types lists. */
        static final Set<String> POLYGON_TYPES = Set.of("CS", "ETF", "ETN", "ETV", "ETS", "FUND", "PFD", "ADRC", "ADRP",
                "ADRR", "ADRW", "UNIT", "RIGHT", "WARRANT", "SP", "BOND", "BASKET", "LT", "OS", "GDR", "NYRS", "AGEN",
                "EQLK", "OTHER", "INDEX");

        public Query {
            types = Set.copyOf(new TreeSet<>(types));
        }

        /** "cs", "cs,etf", "all": the names the CLI and the state machine input use. */
        public static Query parse(String field, String names, boolean includeDelisted) {
            if (names == null || names.isBlank()) {
                throw new InvalidInputException(field, "is missing: give cs, etf, cs,etf or all");
            }
            Set<String> types = new TreeSet<>();
            for (String name : names.split(",")) {
                String type = name.strip().toUpperCase(Locale.ROOT);
                if (type.equals("ALL")) {
                    return new Query(Set.of(), includeDelisted);
                }
                if (!POLYGON_TYPES.contains(type)) {
                    throw new InvalidInputException(field, "'" + name.strip() + "' is not a Polygon ticker type ("
                            + String.join(", ", new TreeSet<>(POLYGON_TYPES)).toLowerCase(Locale.ROOT) + ") or all");
                }
                types.add(type);
            }
            return new Query(types, includeDelisted);
        }

        /** The types as the CLI and inputs spell them: "cs,etf" or "all". */
        public String names() {
            return types.isEmpty() ? "all" : String.join(",", new TreeSet<>(types)).toLowerCase(Locale.ROOT);
        }

        /** The name of the cached copy: one file per distinct query. */
        String cacheName() {
            return names().replace(',', '-') + (includeDelisted ? "-with-delisted" : "-active");
        }

        public String describe() {
            return (types.isEmpty() ? "all types" : names()) + (includeDelisted ? ", active and delisted" : ", active only");
        }
    }

    /** How many tickers of each (type, primary exchange), for a person to see what the universe holds. */
    public Map<String, Map<String, Long>> countsByTypeAndExchange() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (ListedTicker t : tickers) {
            counts.computeIfAbsent(t.type() == null ? "?" : t.type(), k -> new TreeMap<>())
                    .merge(t.primaryExchange() == null ? "?" : t.primaryExchange(), 1L, Long::sum);
        }
        return counts;
    }
}
