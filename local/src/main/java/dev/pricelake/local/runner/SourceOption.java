package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.InvalidInputException;
import picocli.CommandLine.Option;

/** Where a run's sessions come from: Polygon's REST API, or Massive's daily flat files. */
final class SourceOption {
    @Option(names = "--source", defaultValue = "rest", description = "rest (Polygon's aggregates API) or flatfiles"
            + " (Massive's daily flat files, a file per session, split-adjusted with the lake's splits; grouped daily"
            + " for a session without a file, and the run says so). Default: ${DEFAULT-VALUE}")
    String source;

    /** Checks the choice against --fetch and the credentials, then puts it into the state machine's input. */
    void addTo(ObjectNode input, String fetch, PolygonOptions polygon) {
        switch (source) {
            case "rest" -> {
                // Nothing to add: the REST API is the default source.
            }
            case "flatfiles" -> {
                if ("range".equals(fetch)) {
                    throw new InvalidInputException("--source", "flatfiles reads one file per session, like grouped daily:"
                            + " it goes with --fetch auto or grouped, not range");
                }
                polygon.requireFlatFilesCredentials();
                input.put("flat_files", true);
            }
            default -> throw new InvalidInputException("--source", "'" + source + "' is neither rest nor flatfiles");
        }
    }
}
