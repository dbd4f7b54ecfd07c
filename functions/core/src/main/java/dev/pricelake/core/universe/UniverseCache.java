package dev.pricelake.core.universe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.ReferenceSource.ListedTicker;
import dev.pricelake.core.Ticker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Universe discovery with the answer cached in the lake under {@code reference/universe/}: listing every US
 * common stock takes a dozen paged calls (minutes at the free plan's pace), and the list changes slowly, so a
 * copy younger than {@link #MAX_AGE} is used instead. A damaged copy is fetched again, never trusted.
 */
public final class UniverseCache {
    public static final String PREFIX = "reference/universe/";
    public static final Duration MAX_AGE = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ReferenceSource source;
    private final ObjectStore lake;
    private final Clock clock;

    public UniverseCache(ReferenceSource source, ObjectStore lake, Clock clock) {
        this.source = source;
        this.lake = lake;
        this.clock = clock;
    }

    public static String key(Universe.Query query) {
        return PREFIX + query.cacheName() + ".json";
    }

    public Universe get(Universe.Query query, boolean forceRefresh) {
        if (!forceRefresh) {
            var cached = lake.get(key(query)).flatMap(bytes -> decode(query, bytes));
            if (cached.isPresent() && Duration.between(cached.get().fetchedAt(), clock.instant()).compareTo(MAX_AGE) < 0) {
                return cached.get();
            }
        }
        Universe fresh = fetch(query);
        lake.put(key(query), encode(fresh));
        return fresh;
    }

    private Universe fetch(Universe.Query query) {
        Instant now = clock.instant();
        // A symbol can be both delisted (an old company) and active (a new one); the active listing wins.
        Map<Ticker, ListedTicker> byTicker = new LinkedHashMap<>();
        List<String> unrecognized = new ArrayList<>();
        List<String> types = query.types().isEmpty() ? Collections.singletonList(null) : List.copyOf(query.types());
        for (boolean active : query.includeDelisted() ? List.of(true, false) : List.of(true)) {
            for (String type : types) {
                ReferenceSource.Listing listing = source.tickers(new ReferenceSource.TickerQuery(type, active));
                listing.tickers().forEach(t -> byTicker.putIfAbsent(t.ticker(), t));
                unrecognized.addAll(listing.unrecognizedSymbols());
            }
        }
        List<ListedTicker> tickers = new ArrayList<>(byTicker.values());
        tickers.sort((a, b) -> a.ticker().compareTo(b.ticker()));
        return new Universe(query, now, false, tickers, unrecognized);
    }

    private static byte[] encode(Universe u) {
        ObjectNode root = JSON.createObjectNode();
        root.put("fetched_at", u.fetchedAt().toString());
        ArrayNode types = root.putArray("types");
        u.query().types().stream().sorted().forEach(types::add);
        root.put("include_delisted", u.query().includeDelisted());
        ArrayNode tickers = root.putArray("tickers");
        for (ListedTicker t : u.tickers()) {
            ObjectNode n = tickers.addObject();
            n.put("ticker", t.ticker().value());
            n.put("name", t.name());
            n.put("type", t.type());
            n.put("primary_exchange", t.primaryExchange());
            n.put("active", t.active());
        }
        ArrayNode unrecognized = root.putArray("unrecognized_symbols");
        u.unrecognizedSymbols().forEach(unrecognized::add);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("encoding the universe", e);
        }
    }

    private static Optional<Universe> decode(Universe.Query query, byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            List<ListedTicker> tickers = new ArrayList<>();
            for (JsonNode n : root.path("tickers")) {
                tickers.add(new ListedTicker(Ticker.of(n.path("ticker").asText()), n.path("name").asText(null),
                        n.path("type").asText(null), n.path("primary_exchange").asText(null), n.path("active").asBoolean()));
            }
            List<String> unrecognized = new ArrayList<>();
            root.path("unrecognized_symbols").forEach(n -> unrecognized.add(n.asText()));
            return Optional.of(new Universe(query, Instant.parse(root.path("fetched_at").asText()), true, tickers,
                    unrecognized));
        } catch (IOException | RuntimeException damaged) {
            return Optional.empty();
        }
    }
}
