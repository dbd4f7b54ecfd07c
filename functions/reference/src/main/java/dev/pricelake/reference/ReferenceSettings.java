package dev.pricelake.reference;

import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.reference.EtfClassifier;
import dev.pricelake.core.reference.MarketCapTiers;
import dev.pricelake.core.reference.SicTable;
import dev.pricelake.core.reference.Themes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What a refresh and a rebuild are configured with. The files are read at each use, so a changed file in the
 * lake counts from the next invocation of a warm function.
 *
 * @param maxDetailsAge details older than this are fetched again
 */
public record ReferenceSettings(Supplier<SicTable> sic, Supplier<EtfClassifier> etfRules, Supplier<Themes> themes,
                                MarketCapTiers tiers, Duration maxDetailsAge) {
    public static final Duration DEFAULT_MAX_DETAILS_AGE = Duration.ofDays(30);

    public ReferenceSettings {
        if (maxDetailsAge.isNegative()) {
            throw new InvalidInputException("max details age", maxDetailsAge.toDays() + " days is negative");
        }
    }

    /** The bundled files, the default tiers and age. */
    public static ReferenceSettings defaults() {
        return new ReferenceSettings(SicTable::bundled, EtfClassifier::bundled, Themes::bundled, MarketCapTiers.DEFAULT,
                DEFAULT_MAX_DETAILS_AGE);
    }

    /**
     * In AWS: a user's own SIC table, ETF rules or themes are objects in the lake at SIC_TABLE_KEY, ETF_RULES_KEY and
     * THEMES_KEY (defaults config/sic-sectors.csv, config/etf-rules.csv, config/themes.txt), used when present;
     * MARKET_CAP_TIERS (200B,10B,2B,300M) and DETAILS_MAX_AGE_DAYS (30).
     */
    static ReferenceSettings fromEnvironment(FunctionEnvironment env, ObjectStore lake) {
        String sicKey = orDefault(env.optional("SIC_TABLE_KEY"), "config/sic-sectors.csv");
        String rulesKey = orDefault(env.optional("ETF_RULES_KEY"), "config/etf-rules.csv");
        String themesKey = orDefault(env.optional("THEMES_KEY"), "config/themes.txt");
        String tiers = env.optional("MARKET_CAP_TIERS");
        String age = env.optional("DETAILS_MAX_AGE_DAYS");
        return new ReferenceSettings(fromLake(lake, sicKey, SicTable::parse, SicTable::bundled),
                fromLake(lake, rulesKey, EtfClassifier::parse, EtfClassifier::bundled),
                fromLake(lake, themesKey, Themes::parse, Themes::bundled),
                tiers == null ? MarketCapTiers.DEFAULT : MarketCapTiers.parse("MARKET_CAP_TIERS", tiers),
                age == null ? DEFAULT_MAX_DETAILS_AGE : days("DETAILS_MAX_AGE_DAYS", age));
    }

    private static String orDefault(String value, String otherwise) {
        return value == null ? otherwise : value;
    }

    /** A whole number of days, as an option or a variable gives it. */
    public static Duration days(String field, String text) {
        try {
            int days = Integer.parseInt(text.strip());
            if (days < 0) {
                throw new InvalidInputException(field, text + " is negative");
            }
            return Duration.ofDays(days);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a whole number of days");
        }
    }

    private static <T> Supplier<T> fromLake(ObjectStore lake, String key, BiFunction<String, String, T> parse,
            Supplier<T> bundled) {
        return () -> lake.get(key).map(bytes -> parse.apply(new String(bytes, StandardCharsets.UTF_8), "s3 object " + key))
                .orElseGet(bundled);
    }
}
