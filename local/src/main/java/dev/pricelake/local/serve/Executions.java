package dev.pricelake.local.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.AtomicFiles;
import dev.pricelake.local.runner.StateMachineRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The executions of the state machine that {@code serve} runs: each is a JSON file under {@code dir} (with its history
 * beside it, one event a line), so they survive a restart; each runs on a thread of its own through the launcher.
 * An execution still RUNNING when {@code serve} stops, or found RUNNING when it starts (it died without stopping), is
 * ABORTED with the error {@value #INTERRUPTED}: its run keeps every ticker it finished and resumes by its run_id.
 */
final class Executions implements AutoCloseable {
    static final String INTERRUPTED = "pricelake.Interrupted";
    /** AWS: 1 to 80 characters, none of whitespace, brackets, wildcards, these specials or control characters. */
    private static final Pattern NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]{1,80}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs one execution to its end; hands the runner's process to {@code onStart} so a stop can end it. */
    interface Launcher {
        StateMachineRunner.Outcome run(JsonNode input, String name, Path historyFile, Consumer<Process> onStart)
                throws Exception;
    }

    /** Told when an execution was interrupted, with its run id (or null when it had none yet). */
    interface InterruptionListener {
        void interrupted(String runId);
    }

    private record Running(Thread thread, Process[] process) {
    }

    private final Path dir;
    private final Launcher launcher;
    private final InterruptionListener onInterrupted;
    private final Clock clock;
    private final Map<String, ExecutionRecord> records = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    Executions(Path dir, Launcher launcher, InterruptionListener onInterrupted, Clock clock) {
        this.dir = dir;
        this.launcher = launcher;
        this.onInterrupted = onInterrupted;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                    ExecutionRecord record = JSON.readValue(file.toFile(), ExecutionRecord.class);
                    records.put(record.name(), record);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the executions in " + dir, e);
        }
        for (ExecutionRecord record : List.copyOf(records.values())) {
            if (record.running()) {
                ExecutionRecord withRun = record.withRunId(runIdOf(record));
                abort(withRun, INTERRUPTED, interruptedCause(withRun.runId()));
                onInterrupted.interrupted(withRun.runId());
            }
        }
    }

    static boolean validName(String name) {
        return NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /**
     * Starts an execution. As in AWS, a name already used is refused, unless it names a running execution with the
     * same input (then that execution is the answer: a repeated start is idempotent).
     */
    synchronized ExecutionRecord start(String name, String input) {
        if (!validName(name)) {
            throw new ApiError("InvalidName", "Invalid Name: '" + name + "'");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(input);
        } catch (JsonProcessingException e) {
            throw new ApiError("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + e.getOriginalMessage() + "'");
        }
        if (parsed == null) {
            throw new ApiError("InvalidExecutionInput", "Invalid State Machine Execution Input: 'empty'");
        }
        ExecutionRecord existing = records.get(name);
        if (existing != null) {
            if (existing.running() && existing.input().equals(input)) {
                return existing;
            }
            throw new ApiError("ExecutionAlreadyExists", "Execution Already Exists: '" + name + "'");
        }
        String runId = parsed.path("run_id").isTextual() ? parsed.get("run_id").asText() : null;
        ExecutionRecord record = new ExecutionRecord(name, ExecutionRecord.RUNNING, input, null, null, null,
                clock.millis(), null, runId);
        save(record);
        Process[] process = new Process[1];
        Thread thread = Thread.ofPlatform().name("execution-" + name).daemon().unstarted(() -> run(record, parsed, process));
        running.put(name, new Running(thread, process));
        thread.start();
        return record;
    }

    private void run(ExecutionRecord record, JsonNode input, Process[] process) {
        StateMachineRunner.Outcome outcome = null;
        Exception failure = null;
        try {
            outcome = launcher.run(input, record.name(), historyFile(record.name()), p -> {
                synchronized (process) {
                    process[0] = p;
                }
            });
        } catch (Exception e) {
            failure = e;
        }
        synchronized (this) {
            running.remove(record.name());
            ExecutionRecord now = records.get(record.name());
            if (!now.running()) {
                // Stopped: the runner was ended on purpose, and its history ends with the abort.
                appendHistory(now.name(), "ExecutionAborted", "executionAbortedEventDetails", now.error(), now.cause());
                return;
            }
            ExecutionRecord withRun = now.withRunId(runIdOf(now));
            if (outcome != null && outcome.succeeded()) {
                save(withRun.ended(ExecutionRecord.SUCCEEDED, text(outcome.output()), null, null, clock.millis()));
            } else if (outcome != null) {
                save(withRun.ended(ExecutionRecord.FAILED, null, outcome.error(), outcome.cause(), clock.millis()));
            } else {
                String cause = String.valueOf(failure.getMessage());
                appendHistory(now.name(), "ExecutionFailed", "executionFailedEventDetails", "States.Runtime", cause);
                save(withRun.ended(ExecutionRecord.FAILED, null, "States.Runtime", cause, clock.millis()));
            }
        }
    }

    Optional<ExecutionRecord> get(String name) {
        return Optional.ofNullable(records.get(name));
    }

    /** Newest first. */
    List<ExecutionRecord> list() {
        return records.values().stream().sorted(Comparator.comparingLong(ExecutionRecord::startDate).reversed()
                .thenComparing(ExecutionRecord::name)).toList();
    }

    /** Stops a running execution (ABORTED, with the error and cause given); one that has ended is left as it is. */
    ExecutionRecord stop(String name, String error, String cause) {
        Running run;
        synchronized (this) {
            ExecutionRecord record = records.get(name);
            if (record == null) {
                throw new ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + name + "'");
            }
            if (!record.running()) {
                return record;
            }
            abort(record.withRunId(runIdOf(record)), error, cause);
            run = running.get(name);
        }
        if (run != null) {
            synchronized (run.process()) {
                if (run.process()[0] != null) {
                    run.process()[0].destroy();
                }
            }
            run.thread().interrupt();
            join(run.thread(), Duration.ofSeconds(30));
        }
        return records.get(name);
    }

    private void abort(ExecutionRecord record, String error, String cause) {
        ExecutionRecord aborted = record.ended(ExecutionRecord.ABORTED, null, error, cause, clock.millis());
        save(aborted);
        if (!running.containsKey(record.name())) {
            appendHistory(record.name(), "ExecutionAborted", "executionAbortedEventDetails", error, cause);
        }
    }

    /** The history the runner recorded, in order; empty before its first event. */
    List<JsonNode> history(String name) {
        Path file = historyFile(name);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * The run an execution created or resumed: its input's run_id, or the one SelectTickers answered.
     */
    String runIdOf(ExecutionRecord record) {
        if (record.runId() != null) {
            return record.runId();
        }
        return selection(record.name()).filter(s -> s.path("run_id").isTextual()).map(s -> s.get("run_id").asText())
                .orElse(null);
    }

    /** SelectTickers' answer (the run id, the plan): in the history as the first function's output. */
    Optional<JsonNode> selection(String name) {
        for (JsonNode event : history(name)) {
            String output = event.path("lambdaFunctionSucceededEventDetails").path("output").asText(null);
            if (output != null) {
                try {
                    return Optional.of(JSON.readTree(output));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private void appendHistory(String name, String type, String detailsField, String error, String cause) {
        List<JsonNode> events = history(name);
        long last = events.isEmpty() ? 0 : events.getLast().path("id").asLong();
        ObjectNode event = JSON.createObjectNode();
        event.put("timestamp", clock.millis() / 1000.0);
        event.put("type", type);
        event.put("id", last + 1);
        event.put("previousEventId", last);
        ObjectNode details = event.putObject(detailsField);
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
        try {
            Files.writeString(historyFile(name), JSON.writeValueAsString(event) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the history of " + name, e);
        }
    }

    private Path historyFile(String name) {
        return dir.resolve(name + ".history.jsonl");
    }

    private synchronized void save(ExecutionRecord record) {
        records.put(record.name(), record);
        Path file = dir.resolve(record.name() + ".json");
        try {
            AtomicFiles.write(file, temp -> JSON.writeValue(temp.toFile(), record));
        } catch (IOException e) {
            throw new UncheckedIOException("saving execution " + record.name() + " in " + dir, e);
        }
    }

    static String interruptedCause(String runId) {
        return "pricelake serve stopped while this execution ran; its finished tickers are kept"
                + (runId == null ? "" : ": resume with the input {\"run_id\": \"" + runId + "\"}");
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every running execution as interrupted, and tells the listener which runs they were. */
    @Override
    public void close() {
        for (String name : List.copyOf(running.keySet())) {
            ExecutionRecord record = records.get(name);
            String runId = runIdOf(record);
            stop(name, INTERRUPTED, interruptedCause(runId));
            onInterrupted.interrupted(runId);
        }
    }
}
