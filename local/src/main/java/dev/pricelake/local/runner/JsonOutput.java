package dev.pricelake.local.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --json} for the reference-data commands: the text goes to stderr and the result, as one JSON value, to the
 * last line of stdout; without it the text goes to stdout.
 */
public final class JsonOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "Print the result as one JSON value on the last line of stdout.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Where the text for a person goes. */
    PrintWriter screen() {
        return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /** Ends the output: flushes the text and, with --json, prints the result. */
    void finish(JsonNode result) throws JsonProcessingException {
        screen().flush();
        if (json) {
            spec.commandLine().getOut().println(JSON.writeValueAsString(result));
        }
        spec.commandLine().getOut().flush();
    }
}
