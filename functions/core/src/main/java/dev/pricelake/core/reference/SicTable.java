package dev.pricelake.core.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SIC code to sector and industry, from a CSV of code ranges ({@code sic_from,sic_to,sector,industry}); the
 * narrowest range holding a code wins, the later line among equally narrow ones. The bundled table is
 * {@code sic-sectors.csv} next to this class; a user's own file replaces it whole.
 */
public final class SicTable {
    static final String BUNDLED = "sic-sectors.csv";
    private static final String HEADER = "sic_from,sic_to,sector,industry";

    public record Classification(String sector, String industry) {
    }

    private record Range(int from, int to, Classification classification) {
        int width() {
            return to - from;
        }
    }

    private final List<Range> ranges;

    private SicTable(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** The table shipped with pricelake. */
    public static SicTable bundled() {
        return parse(ConfigFile.bundled(BUNDLED), BUNDLED);
    }

    /**
     * Parses a table; {@code source} names it in errors as the user knows it ({@code --sic-table my.csv}), each
     * error with its line.
     */
    public static SicTable parse(String text, String source) {
        List<Range> ranges = new ArrayList<>();
        for (ConfigFile.Line line : ConfigFile.records(text, source, HEADER)) {
            int from = code(line, "sic_from", line.cell(0));
            int to = code(line, "sic_to", line.cell(1));
            if (to < from) {
                throw line.error("sic_to " + line.cell(1) + " is below sic_from " + line.cell(0));
            }
            ranges.add(new Range(from, to, new Classification(ConfigFile.name(line, "sector", line.cell(2)),
                    ConfigFile.name(line, "industry", line.cell(3)))));
        }
        return new SicTable(ranges);
    }

    private static int code(ConfigFile.Line line, String column, String text) {
        if (!text.matches("\\d{1,4}")) {
            throw line.error(column + " '" + text + "' is not a SIC code (up to 4 digits)");
        }
        return Integer.parseInt(text);
    }

    /** The classification of a SIC code as Polygon writes it ("3571"), or empty when no range holds it. */
    public Optional<Classification> classify(String sicCode) {
        if (sicCode == null || !sicCode.strip().matches("\\d{1,4}")) {
            return Optional.empty();
        }
        int code = Integer.parseInt(sicCode.strip());
        Range best = null;
        for (Range r : ranges) {
            if (code >= r.from() && code <= r.to() && (best == null || r.width() <= best.width())) {
                best = r;
            }
        }
        return Optional.ofNullable(best).map(Range::classification);
    }
}
