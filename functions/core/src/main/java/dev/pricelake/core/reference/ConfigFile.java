package dev.pricelake.core.reference;

import dev.pricelake.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The small comma-separated files a user edits (the SIC table, the ETF rules): a header line, one record a
 * line, {@code #} comments and blank lines ignored. Every error names the file as the user knows it and the line.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** One record: its cells (the last one keeps any further commas) and where it is, for errors. */
    record Line(String where, List<String> cells) {
        String cell(int index) {
            return cells.get(index);
        }

        InvalidInputException error(String problem) {
            return new InvalidInputException(where, problem);
        }
    }

    static String bundled(String name) {
        try (InputStream in = ConfigFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines that say something (not blank, not a # comment), stripped, each with where it is. */
    static List<Line> lines(String text, String source) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(new Line(source + " line " + (i + 1), List.of(line)));
            }
        }
        return out;
    }

    /** The records after the header line, split into the header's columns. */
    static List<Line> records(String text, String source, String header) {
        int columns = header.split(",").length;
        List<Line> lines = lines(text, source);
        if (lines.isEmpty() || !lines.getFirst().cell(0).replace(" ", "").equalsIgnoreCase(header)) {
            String first = lines.isEmpty() ? "" : lines.getFirst().cell(0);
            throw new InvalidInputException(lines.isEmpty() ? source : lines.getFirst().where(), lines.isEmpty()
                    ? "has no records (expected the header " + header + " and one record a line)"
                    : "the first line must be the header " + header + ", not '" + first + "'");
        }
        List<Line> records = new ArrayList<>();
        for (Line line : lines.subList(1, lines.size())) {
            String[] cells = line.cell(0).split(",", columns);
            if (cells.length != columns) {
                throw line.error("has " + cells.length + " columns, not the " + columns + " of " + header);
            }
            List<String> stripped = new ArrayList<>(columns);
            for (String cell : cells) {
                stripped.add(cell.strip());
            }
            records.add(new Line(line.where(), stripped));
        }
        if (records.isEmpty()) {
            throw new InvalidInputException(source, "has no records (expected the header " + header + " and one record a line)");
        }
        return records;
    }

    /** Names become universe keys and lake paths, so they may not hold the separator of an entry name. */
    static String name(Line line, String column, String text) {
        if (text.isEmpty() || text.contains("/")) {
            throw line.error(column + " '" + text + "' must be a non-empty name without '/'");
        }
        return text;
    }
}
