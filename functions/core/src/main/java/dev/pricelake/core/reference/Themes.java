package dev.pricelake.core.reference;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Investment themes and their tickers, in the order of the themes file ({@code Name: T1, T2, ...} a line). */
public record Themes(Map<String, List<Ticker>> tickers) {
    static final String BUNDLED = "themes.txt";

    public Themes {
        Map<String, List<Ticker>> copy = new LinkedHashMap<>();
        tickers.forEach((name, list) -> copy.put(name, List.copyOf(list)));
        tickers = java.util.Collections.unmodifiableMap(copy);
    }

    public static Themes bundled() {
        return parse(ConfigFile.bundled(BUNDLED), BUNDLED);
    }

    /** {@code source} names the file in errors as the user gave it ({@code --themes my-themes.txt}). */
    public static Themes parse(String text, String source) {
        Map<String, List<Ticker>> themes = new LinkedHashMap<>();
        for (ConfigFile.Line entry : ConfigFile.lines(text, source)) {
            String line = entry.cell(0);
            String where = entry.where();
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new InvalidInputException(where, "'" + line + "' is not a theme: write 'Name: TICKER, TICKER, ...'");
            }
            String name = line.substring(0, colon).strip();
            if (name.isEmpty() || name.contains("/")) {
                throw new InvalidInputException(where, "theme name '" + name + "' must be a non-empty name without '/'");
            }
            if (themes.containsKey(name)) {
                throw new InvalidInputException(where, "theme '" + name + "' is already defined above");
            }
            LinkedHashSet<Ticker> members = new LinkedHashSet<>();
            for (String symbol : line.substring(colon + 1).split("[,\\s]+")) {
                if (symbol.isBlank()) {
                    continue;
                }
                try {
                    members.add(Ticker.of(symbol));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException(where, "theme '" + name + "': " + e.problem());
                }
            }
            if (members.isEmpty()) {
                throw new InvalidInputException(where, "theme '" + name + "' has no tickers");
            }
            themes.put(name, new ArrayList<>(members));
        }
        if (themes.isEmpty()) {
            throw new InvalidInputException(source, "has no themes: write one a line, 'Name: TICKER, TICKER, ...'");
        }
        return new Themes(themes);
    }
}
