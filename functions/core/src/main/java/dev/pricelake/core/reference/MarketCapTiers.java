package dev.pricelake.core.reference;

import dev.pricelake.core.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The market-cap tiers' lower bounds in dollars: mega from {@code mega} up, large from {@code large} to below
 * mega, mid, small, and micro from above zero to below {@code small}.
 */
public record MarketCapTiers(double mega, double large, double mid, double small) {
    public static final MarketCapTiers DEFAULT = new MarketCapTiers(200e9, 10e9, 2e9, 300e6);
    public static final List<String> NAMES = List.of("mega_cap", "large_cap", "mid_cap", "small_cap", "micro_cap");

    public MarketCapTiers {
        if (!(small > 0 && mid > small && large > mid && mega > large) || !Double.isFinite(mega)) {
            throw new InvalidInputException("market-cap tiers", "bounds must be finite and fall strictly from mega to small"
                    + " above zero, not " + describe(mega) + ", " + describe(large) + ", " + describe(mid) + ", "
                    + describe(small));
        }
    }

    /** Four descending bounds such as {@code 200B,10B,2B,300M} (K, M, B, T suffixes); {@code field} names the option. */
    public static MarketCapTiers parse(String field, String text) {
        String[] parts = text == null ? new String[0] : text.split(",");
        if (parts.length != 4) {
            throw new InvalidInputException(field, "'" + text + "' must be four bounds, mega to small, such as 200B,10B,2B,300M");
        }
        double[] bounds = new double[4];
        for (int i = 0; i < 4; i++) {
            bounds[i] = dollars(field, parts[i].strip());
        }
        try {
            return new MarketCapTiers(bounds[0], bounds[1], bounds[2], bounds[3]);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field, e.problem());
        }
    }

    private static double dollars(String field, String text) {
        if (!text.matches("(?i)\\d+(\\.\\d+)?[KMBT]?")) {
            throw new InvalidInputException(field, "'" + text + "' is not an amount such as 300M, 2B or 2000000000");
        }
        char unit = Character.toUpperCase(text.charAt(text.length() - 1));
        double scale = switch (unit) {
            case 'K' -> 1e3;
            case 'M' -> 1e6;
            case 'B' -> 1e9;
            case 'T' -> 1e12;
            default -> 1;
        };
        return Double.parseDouble(Character.isLetter(unit) ? text.substring(0, text.length() - 1) : text) * scale;
    }

    /** The tier of a market cap, or empty when it is unknown or zero. */
    public Optional<String> tier(Double marketCap) {
        if (marketCap == null || marketCap <= 0) {
            return Optional.empty();
        }
        int index = marketCap >= mega ? 0 : marketCap >= large ? 1 : marketCap >= mid ? 2 : marketCap >= small ? 3 : 4;
        return Optional.of(NAMES.get(index));
    }

    /** A person's description of a tier's bounds: "$10B to $200B". */
    public String bounds(String tier) {
        return switch (tier) {
            case "mega_cap" -> describe(mega) + " and above";
            case "large_cap" -> describe(large) + " to " + describe(mega);
            case "mid_cap" -> describe(mid) + " to " + describe(large);
            case "small_cap" -> describe(small) + " to " + describe(mid);
            case "micro_cap" -> "under " + describe(small);
            default -> throw new IllegalArgumentException("no tier " + tier);
        };
    }

    static String describe(double dollars) {
        String[] units = {"T", "B", "M", "K"};
        double[] scales = {1e12, 1e9, 1e6, 1e3};
        for (int i = 0; i < units.length; i++) {
            if (Math.abs(dollars) >= scales[i]) {
                return "$" + trim(dollars / scales[i]) + units[i];
            }
        }
        return "$" + trim(dollars);
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.2f", value);
        return text.replaceAll("\\.?0+$", "");
    }
}
