package dev.pricelake.core.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The organized universes, built from the symbols table: market-cap tiers, sector and market leaders,
 * industries, themes, ETF universes, the complete lists and a summary. Every list is ordered by market cap,
 * largest first (unknown caps last, ties by ticker); only active symbols are members.
 */
public final class UniverseBuilder {
    /** The entry types a rebuild owns: replace mode deletes and rewrites these and leaves every other type. */
    public static final Set<String> OWNED_TYPES = Set.of("stock_universe", "etf_universe", "themes", "stock_stats");
    /** etf_type to the name of its ETF universe, whose key is {@code etf_{etf_type}}. */
    public static final Map<String, String> ETF_UNIVERSES = etfUniverses();
    static final List<Integer> MARKET_LEADERS = List.of(10, 50, 100, 250, 500);
    static final int SECTOR_LEADERS = 10;
    static final int TOP_STOCKS = 1000;
    static final int TOP_ETFS = 100;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Comparator<Symbol> BY_MARKET_CAP = Comparator
            .comparing((Symbol s) -> s.marketCap() == null ? Double.NEGATIVE_INFINITY : s.marketCap()).reversed()
            .thenComparing(Symbol::ticker);

    private final MarketCapTiers tiers;

    public UniverseBuilder(MarketCapTiers tiers) {
        this.tiers = tiers;
    }

    /**
     * @param leftOut theme tickers that are not members, by theme, each with why ("XYZ: unknown symbol",
     *                "ABC: delisted")
     */
    public record Result(List<CacheEntry> entries, Map<String, List<String>> leftOut) {
        public Result {
            entries = List.copyOf(entries);
            leftOut = java.util.Collections.unmodifiableMap(new TreeMap<>(leftOut));
        }
    }

    private static Map<String, String> etfUniverses() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("broad_market", "Broad Market ETFs");
        names.put("sectors", "Sector ETFs");
        names.put("growth", "Growth ETFs");
        names.put("value", "Value ETFs");
        names.put("technology", "Technology ETFs");
        names.put("bonds", "Bond ETFs");
        names.put("commodities", "Commodity ETFs");
        return java.util.Collections.unmodifiableMap(names);
    }

    public Result build(List<Symbol> symbols, Themes themes) {
        List<Symbol> sorted = symbols.stream().sorted(BY_MARKET_CAP).toList();
        List<Symbol> stocks = sorted.stream().filter(s -> s.active() && s.isStock()).toList();
        List<Symbol> etfs = sorted.stream().filter(s -> s.active() && s.isEtf()).toList();
        List<Symbol> capped = stocks.stream().filter(s -> tiers.tier(s.marketCap()).isPresent()).toList();
        List<CacheEntry> entries = new ArrayList<>();

        for (String tier : MarketCapTiers.NAMES) {
            entries.add(listing("stock_universe", "market_cap", tier, stocks,
                    s -> tiers.tier(s.marketCap()).filter(tier::equals).isPresent(),
                    "Active common stocks with a market cap of " + tiers.bounds(tier)));
        }
        for (var sector : distinctSlugs(stocks, Symbol::sector, "sector").entrySet()) {
            entries.add(top("stock_universe", "sector_leaders", "top_" + SECTOR_LEADERS + "_" + sector.getKey(),
                    capped.stream().filter(s -> sector.getValue().equals(s.sector())).toList(), SECTOR_LEADERS,
                    "The " + SECTOR_LEADERS + " largest active " + sector.getValue() + " stocks by market cap"));
        }
        for (int n : MARKET_LEADERS) {
            entries.add(top("stock_universe", "market_leaders", n == 10 ? "top_10_stocks" : "top_" + n, capped, n,
                    "The " + n + " largest active stocks by market cap"));
        }
        for (var industry : distinctSlugs(stocks, Symbol::industry, "industry").entrySet()) {
            entries.add(listing("stock_universe", "industry", industry.getKey(), stocks,
                    s -> industry.getValue().equals(s.industry()), "Active " + industry.getValue() + " stocks"));
        }
        Map<String, List<String>> leftOut = themes(themes, sorted, entries);
        ETF_UNIVERSES.forEach((type, name) -> entries.add(listing("etf_universe", name, "etf_" + type, etfs,
                s -> type.equals(s.etfType()) || (type.equals("technology") && "Technology".equals(s.sector())),
                "Active " + name.replace(" ETFs", "").toLowerCase(Locale.ROOT) + " ETFs")));
        entries.add(top("stock_universe", "complete", "top_" + TOP_STOCKS, capped, TOP_STOCKS,
                "The " + TOP_STOCKS + " largest active stocks by market cap"));
        entries.add(new CacheEntry("stock_universe", "complete", "all_stocks", tickers(stocks)));
        entries.add(top("etf_universe", "complete", "top_" + TOP_ETFS,
                etfs.stream().filter(s -> s.marketCap() != null && s.marketCap() > 0).toList(), TOP_ETFS,
                "The " + TOP_ETFS + " largest active ETFs by market cap"));
        entries.add(new CacheEntry("etf_universe", "complete", "all_etfs", tickers(etfs)));
        entries.add(new CacheEntry("stock_stats", "universe", "summary", summary(symbols, stocks)));
        return new Result(entries, leftOut);
    }

    /** Both theme entries of every theme; returns the tickers left out of each. */
    private Map<String, List<String>> themes(Themes themes, List<Symbol> sorted, List<CacheEntry> entries) {
        Map<Ticker, Symbol> byTicker = new HashMap<>();
        sorted.forEach(s -> byTicker.put(s.ticker(), s));
        Map<String, List<String>> leftOut = new TreeMap<>();
        Map<String, String> slugs = new HashMap<>();
        themes.tickers().forEach((theme, tickers) -> {
            String slug = uniqueSlug(slugs, theme, "theme");
            List<String> missing = new ArrayList<>();
            for (Ticker t : tickers) {
                Symbol s = byTicker.get(t);
                if (s == null) {
                    missing.add(t + ": unknown symbol");
                } else if (!s.active()) {
                    missing.add(t + ": no longer active");
                }
            }
            if (!missing.isEmpty()) {
                leftOut.put(theme, missing);
            }
            Set<Ticker> wanted = Set.copyOf(tickers);
            List<Symbol> members = sorted.stream().filter(s -> s.active() && wanted.contains(s.ticker())).toList();
            entries.add(new CacheEntry("themes", theme, "list", tickers(members)));
            entries.add(listing("stock_universe", "themes", slug, members, s -> true, "The " + theme + " theme"));
        });
        return leftOut;
    }

    private static CacheEntry listing(String type, String name, String key, List<Symbol> sorted, Predicate<Symbol> member,
            String description) {
        return new CacheEntry(type, name, key, described(sorted.stream().filter(member).toList(), description));
    }

    private static CacheEntry top(String type, String name, String key, List<Symbol> sorted, int n, String description) {
        return new CacheEntry(type, name, key, described(sorted.subList(0, Math.min(n, sorted.size())), description));
    }

    /** {"count", "tickers", "stocks": [{ticker, name, market_cap, ...}], "description"}. */
    private static JsonNode described(List<Symbol> members, String description) {
        ObjectNode value = NODES.objectNode();
        value.put("count", members.size());
        value.set("tickers", tickers(members));
        ArrayNode stocks = value.putArray("stocks");
        for (Symbol s : members) {
            ObjectNode o = stocks.addObject();
            o.put("ticker", s.ticker().value());
            o.put("name", s.name());
            o.put("market_cap", s.marketCap());
            if (s.isEtf()) {
                o.put("etf_type", s.etfType());
                o.put("issuer", s.issuer());
            } else {
                o.put("sector", s.sector());
                o.put("industry", s.industry());
            }
            o.put("exchange", s.primaryExchange());
        }
        value.put("description", description);
        return value;
    }

    private static ArrayNode tickers(List<Symbol> members) {
        ArrayNode tickers = NODES.arrayNode(members.size());
        members.forEach(s -> tickers.add(s.ticker().value()));
        return tickers;
    }

    /** Totals by type, tier, sector and exchange, and the time of the data: equal for equal symbols. */
    private JsonNode summary(List<Symbol> symbols, List<Symbol> stocks) {
        ObjectNode value = NODES.objectNode();
        List<Symbol> active = symbols.stream().filter(Symbol::active).toList();
        value.put("symbols", symbols.size());
        value.put("active", active.size());
        value.put("active_stocks", stocks.size());
        value.put("active_etfs", active.stream().filter(Symbol::isEtf).count());
        value.set("by_type", counts(active, s -> s.type() == null ? "unknown" : s.type()));
        value.set("by_tier", counts(stocks, s -> tiers.tier(s.marketCap()).orElse("unknown")));
        value.set("by_sector", counts(stocks, s -> s.sector() == null ? "unknown" : s.sector()));
        value.set("by_exchange", counts(active, s -> s.primaryExchange() == null ? "unknown" : s.primaryExchange()));
        value.set("by_etf_type", counts(active.stream().filter(Symbol::isEtf).toList(),
                s -> s.etfType() == null ? "unknown" : s.etfType()));
        value.put("data_updated_at", symbols.stream().map(Symbol::updatedAt).filter(Objects::nonNull)
                .max(Instant::compareTo).map(Instant::toString).orElse(null));
        value.put("last_close_date", symbols.stream().map(Symbol::lastCloseDate).filter(Objects::nonNull)
                .max(LocalDate::compareTo).map(LocalDate::toString).orElse(null));
        return value;
    }

    private static ObjectNode counts(List<Symbol> symbols, Function<Symbol, String> by) {
        Map<String, Long> counts = new TreeMap<>();
        symbols.forEach(s -> counts.merge(by.apply(s), 1L, Long::sum));
        ObjectNode node = NODES.objectNode();
        counts.forEach(node::put);
        return node;
    }

    /** Each distinct value (sector, industry) by its slug, in slug order. */
    private static Map<String, String> distinctSlugs(List<Symbol> symbols, Function<Symbol, String> value, String what) {
        Map<String, String> slugs = new TreeMap<>();
        symbols.stream().map(value).filter(Objects::nonNull).distinct().sorted().forEach(v -> uniqueSlug(slugs, v, what));
        return slugs;
    }

    private static String uniqueSlug(Map<String, String> slugs, String value, String what) {
        String slug = slug(value);
        String other = slugs.putIfAbsent(slug, value);
        if (other != null && !other.equals(value)) {
            throw new InvalidInputException(what, "'" + other + "' and '" + value + "' would share the entry key '" + slug
                    + "': rename one");
        }
        return slug;
    }

    /** A key from a name: lower case, every run of other characters one underscore ("Health Care" -> health_care). */
    public static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return slug.isEmpty() ? "_" : slug;
    }
}
