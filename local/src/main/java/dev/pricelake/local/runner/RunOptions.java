package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import dev.pricelake.core.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command that runs the pipeline takes. */
public final class RunOptions {
    @Mixin
    StackOptions stack;

    @Option(names = "--as-of", description = "The retention window ends at this date (default: today in New York):"
            + " bars older than 5 years and 1 month before it go to raw_ohlcv_archive. A run fetches sessions before it.")
    String asOf;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line of stdout.")
    boolean json;

    @Option(names = "--function-timeout", paramLabel = "NAME=SECONDS", description = "Run a function with this Lambda"
            + " timeout instead of functions.json's, to rehearse a shorter one (fetch-sessions=60). Repeatable.")
    Map<String, Integer> functionTimeouts = new LinkedHashMap<>();

    /** Adds what these options put into the state machine's input. */
    void addTo(ObjectNode input) {
        if (asOf != null) {
            input.put("as_of", asOf);
        }
    }

    LocalPipeline.Settings settings() {
        Set<String> names = FunctionCatalog.byStatePlaceholder().values().stream().map(FunctionSpec::name)
                .collect(Collectors.toCollection(TreeSet::new));
        functionTimeouts.forEach((name, seconds) -> {
            if (!names.contains(name)) {
                throw new InvalidInputException("--function-timeout", "'" + name + "' is not a function the state machine"
                        + " calls (" + String.join(", ", names) + ")");
            }
            if (seconds < 1 || seconds > 900) {
                throw new InvalidInputException("--function-timeout", name + "=" + seconds
                        + " is outside Lambda's 1 to 900 seconds");
            }
        });
        return stack.settings().withFunctionTimeouts(functionTimeouts);
    }
}
