package dev.pricelake.core.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An ETF's issuer, type and sector from its name, by the ordered rules of {@code etf-rules.csv}
 * ({@code kind,value,pattern}): for each kind the first rule whose pattern is found in the name wins.
 */
public final class EtfClassifier {
    static final String BUNDLED = "etf-rules.csv";
    /** The type of an ETF no rule recognises. */
    public static final String OTHER = "other";
    private static final String HEADER = "kind,value,pattern";
    private static final List<String> KINDS = List.of("issuer", "etf_type", "sector");

    /** @param sector the sector a sector or technology fund covers, else null */
    public record Classification(String issuer, String etfType, String sector) {
    }

    private record Rule(String kind, String value, Pattern pattern) {
    }

    private final List<Rule> rules;

    private EtfClassifier(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static EtfClassifier bundled() {
        return parse(ConfigFile.bundled(BUNDLED), BUNDLED);
    }

    public static EtfClassifier parse(String text, String source) {
        List<Rule> rules = new ArrayList<>();
        for (ConfigFile.Line line : ConfigFile.records(text, source, HEADER)) {
            String kind = line.cell(0).toLowerCase(Locale.ROOT);
            if (!KINDS.contains(kind)) {
                throw line.error("kind '" + line.cell(0) + "' is not one of " + String.join(", ", KINDS));
            }
            try {
                rules.add(new Rule(kind, ConfigFile.name(line, "value", line.cell(1)),
                        Pattern.compile(line.cell(2), Pattern.CASE_INSENSITIVE)));
            } catch (PatternSyntaxException e) {
                throw line.error("pattern is not a regular expression: " + e.getDescription());
            }
        }
        return new EtfClassifier(rules);
    }

    public Classification classify(String name) {
        String text = name == null ? "" : name;
        String type = first("etf_type", text).orElse(OTHER);
        boolean coversASector = type.equals("sectors") || type.equals("technology");
        return new Classification(first("issuer", text).orElse(null), type,
                coversASector ? first("sector", text).orElse(null) : null);
    }

    private Optional<String> first(String kind, String name) {
        return rules.stream().filter(r -> r.kind().equals(kind) && r.pattern().matcher(name).find()).map(Rule::value)
                .findFirst();
    }
}
