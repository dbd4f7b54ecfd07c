package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.local.Folders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an ASL file from {@code statemachines/} with aws-local-stepfunctions on Node 22 (installed by the
 * project under {@code local/sfn-runner}), after the same definition substitutions CDK makes. {@code run.mjs} adds
 * what Step Functions enforces and the library does not: the 256 KiB payload and 25,000-event history quotas, and
 * distributed Maps (items read from S3, one child execution each).
 */
public final class StateMachineRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    /** With --fast-retries every retry waits this long instead of its interval, backoff and jitter. */
    static final long FAST_RETRY_MILLIS = 200;

    /**
     * How an execution ended: its output, or the error and cause of the state that failed it; the events of its
     * history as Step Functions would count them, and its distributed Maps' child executions (each with a history of
     * its own: the largest count is given).
     */
    public record Outcome(boolean succeeded, JsonNode output, String error, String cause, int historyEvents,
                          int childExecutions, int childExecutionsFailed, int childMaxHistoryEvents) {
    }

    /** Where the services the state machine calls are: the local Lambda, and S3 for distributed Maps' items and results. */
    public record Services(URI lambda, URI s3, String accessKey, String secretKey) {
        public static Services lambdaOnly(URI lambda) {
            return new Services(lambda, null, null, null);
        }
    }

    private final Path runnerDir;

    public StateMachineRunner(Path runnerDir) {
        this.runnerDir = runnerDir;
    }

    public static StateMachineRunner installed() {
        return new StateMachineRunner(dev.pricelake.local.standins.StandIns.home("local/sfn-runner"));
    }

    /** The definition with every ${Name} replaced; a name without a value is an error, as in CDK. */
    public static String substitute(String definition, Map<String, String> substitutions) {
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = substitutions.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the definition uses ${" + m.group(1) + "}, which has no substitution");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public Outcome run(Path aslFile, Map<String, String> substitutions, JsonNode input, String executionName,
            boolean fastRetries, Services services, Path logFile) throws IOException, InterruptedException {
        return run(aslFile, substitutions, input, executionName, fastRetries, services, logFile, null, process -> { },
                wait -> { });
    }

    /**
     * Runs one execution; {@code historyFile} (or null) receives its history as AWS names the events, one JSON object
     * a line, {@code onStart} the runner's process, which an execution stopped from outside is destroyed through, and
     * {@code onRetryWait} each retry wait as it begins (see {@link RetryWaits}).
     */
    public Outcome run(Path aslFile, Map<String, String> substitutions, JsonNode input, String executionName,
            boolean fastRetries, Services services, Path logFile, Path historyFile, Consumer<Process> onStart,
            Consumer<JsonNode> onRetryWait) throws IOException, InterruptedException {
        Path node = runnerDir.resolve("node_modules/.bin/node");
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException(node + " is missing: run ./pricelake again, which installs the local"
                    + " state-machine runner (npm ci in local/sfn-runner)");
        }
        JsonNode definition = JSON.readTree(substitute(Files.readString(aslFile), substitutions));
        Path work = Files.createTempDirectory("pricelake-sfn");
        try {
            Path definitionFile = work.resolve("definition.json");
            Path inputFile = work.resolve("input.json");
            JSON.writeValue(definitionFile.toFile(), definition);
            JSON.writeValue(inputFile.toFile(), input);
            ObjectNode options = JSON.createObjectNode();
            options.put("executionName", executionName);
            if (historyFile != null) {
                options.put("historyFile", historyFile.toAbsolutePath().toString());
            }
            ObjectNode overrides = options.putObject("retryIntervalOverrides");
            if (fastRetries) {
                statesWithRetry(definition.get("States"), overrides);
            }
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(node.toString(), runnerDir.resolve("run.mjs").toString(),
                    definitionFile.toString(), inputFile.toString(), JSON.writeValueAsString(options))
                    .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().put("AWS_ENDPOINT_URL_LAMBDA", services.lambda().toString());
            if (services.s3() != null) {
                builder.environment().put("AWS_ENDPOINT_URL_S3", services.s3().toString());
                builder.environment().put("AWS_ACCESS_KEY_ID", services.accessKey());
                builder.environment().put("AWS_SECRET_ACCESS_KEY", services.secretKey());
            }
            builder.environment().put("AWS_REGION", "us-east-1");
            // The user's own AWS configuration must not leak into a local run.
            builder.environment().put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
            builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            onStart.accept(process);
            String last = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("{\"retry_wait\"")) {
                        onRetryWait.accept(JSON.readTree(line).get("retry_wait"));
                    } else if (!line.isBlank()) {
                        last = line;
                    }
                }
            }
            int exit = process.waitFor();
            if (last == null || exit != 0) {
                throw new IllegalStateException("the local state-machine runner exited with code " + exit
                        + " without an outcome; see " + logFile);
            }
            JsonNode outcome = JSON.readTree(last);
            boolean succeeded = outcome.path("status").asText().equals("SUCCEEDED");
            JsonNode children = outcome.path("child_executions");
            return new Outcome(succeeded, succeeded ? outcome.get("output") : null,
                    succeeded ? null : outcome.path("error").asText(), succeeded ? null : outcome.path("cause").asText(),
                    outcome.path("history_events").asInt(), children.path("count").asInt(), children.path("failed").asInt(),
                    children.path("max_history_events").asInt());
        } finally {
            Folders.delete(work);
        }
    }

    private static void statesWithRetry(JsonNode states, ObjectNode overrides) {
        Iterator<Map.Entry<String, JsonNode>> fields = states.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> state = fields.next();
            if (state.getValue().has("Retry")) {
                overrides.put(state.getKey(), FAST_RETRY_MILLIS);
            }
            JsonNode processor = state.getValue().has("ItemProcessor") ? state.getValue().get("ItemProcessor")
                    : state.getValue().get("Iterator");
            if (processor != null) {
                statesWithRetry(processor.get("States"), overrides);
            }
        }
    }
}
