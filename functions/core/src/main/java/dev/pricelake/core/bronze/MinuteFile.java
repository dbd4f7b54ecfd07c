package dev.pricelake.core.bronze;

import java.util.List;
import java.util.Map;

/** A minute bronze file's rows and the lake's footer metadata, as {@link BronzeFile} is a day file's. */
public record MinuteFile(List<MinuteRow> rows, Map<String, String> metadata) {
    public static final MinuteFile EMPTY = new MinuteFile(List.of(), Map.of());

    public MinuteFile {
        rows = List.copyOf(rows);
        metadata = BronzeFile.checked(metadata);
    }
}
