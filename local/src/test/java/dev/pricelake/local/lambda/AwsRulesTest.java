package dev.pricelake.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.local.runner.StateMachineRunner;
import dev.pricelake.local.standins.S3ProxyProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS's rules as the local runner applies them, on functions of a test-only table (see {@link TestFunctions}).
 * Lambda: init apart from invoke, and an init error reported as the Java runtime reports it; a timeout that stops the
 * work and reaches the state machine as {@code Sandbox.Timedout}; one container per concurrent invocation, reused
 * serially; the environment and heap AWS gives a function. Step Functions: 256 KiB per state input and output,
 * 25,000 events per execution history, and distributed Maps whose child executions have histories of their own.
 */
class AwsRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    private static LocalLambda lambda;
    private static final Timings TIMINGS = new Timings();

    @BeforeAll
    static void start() throws Exception {
        lambda = LocalLambda.start(TestFunctions.table(temp), temp.resolve("logs"), TIMINGS, (f, out) -> { });
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    /** Invokes the function by its ARN, as a state machine does. */
    private static HttpResponse<String> invoke(String function, String payload) throws Exception {
        return invokeAs(LocalLambda.arn(function), payload);
    }

    /** Invokes the function by name or ARN, as the Invoke API allows. */
    private static HttpResponse<String> invokeAs(String nameOrArn, String payload) throws Exception {
        URI uri = URI.create(lambda.url() + "/2015-03-31/functions/"
                + URLEncoder.encode(nameOrArn, StandardCharsets.UTF_8) + "/invocations");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(payload))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static StateMachineRunner.Outcome execute(String definition, String input, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "machine", ".asl.json");
        Files.writeString(file, definition);
        Map<String, String> arns = Map.of("ThrowsInInit", LocalLambda.arn(TestFunctions.THROWS_IN_INIT),
                "Sleeps", LocalLambda.arn(TestFunctions.SLEEPS), "Reports", LocalLambda.arn(TestFunctions.REPORTS));
        return StateMachineRunner.installed().run(file, arns, JSON.readTree(input), "test-" + System.nanoTime(), false,
                StateMachineRunner.Services.lambdaOnly(lambda.url()), dir.resolve("stepfunctions.log"));
    }

    @Test
    void aConstructorThatThrowsIsAnInitErrorAndTheNextInvocationStartsAFreshContainer() throws Exception {
        int before = lambda.containersStarted();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = invoke(TestFunctions.THROWS_IN_INIT, "{}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.get("errorMessage").asText()).isEqualTo("no setting to start with");
        }
        assertThat(lambda.containersStarted() - before).isEqualTo(2);

        StateMachineRunner.Outcome caught = execute("""
                {"StartAt": "Init", "States": {
                  "Init": {"Type": "Task", "Resource": "${ThrowsInInit}", "ResultPath": null,
                    "Catch": [{"ErrorEquals": ["java.lang.IllegalStateException"], "ResultPath": "$.error", "Next": "Caught"}],
                    "End": true},
                  "Caught": {"Type": "Succeed"}}}""", "{}", temp);
        assertThat(caught.succeeded()).as(caught.toString()).isTrue();
        assertThat(caught.output().at("/error/Error").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(JSON.readTree(caught.output().at("/error/Cause").asText()).get("errorMessage").asText())
                .isEqualTo("no setting to start with");
    }

    @Test
    void aRetryWaitIsChosenAsStepFunctionsChoosesItAndToldAsItBegins() throws Exception {
        Path file = Files.createTempFile(temp, "retries", ".asl.json");
        // Init: 1 s, then 1 x 2 = 2 s. Jittered: FULL jitter, a random part of 2 s, then of 2 x 3 = 6 s capped at 3 s.
        Files.writeString(file, """
                {"StartAt": "Init", "States": {
                  "Init": {"Type": "Task", "Resource": "${ThrowsInInit}", "ResultPath": "$.first",
                    "Retry": [{"ErrorEquals": ["java.lang.IllegalStateException"], "IntervalSeconds": 1, "BackoffRate": 2,
                      "MaxAttempts": 2}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.first", "Next": "Jittered"}], "Next": "Jittered"},
                  "Jittered": {"Type": "Task", "Resource": "${ThrowsInInit}", "ResultPath": "$.second",
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxDelaySeconds": 3,
                      "MaxAttempts": 2, "JitterStrategy": "FULL"}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.second", "Next": "Done"}], "Next": "Done"},
                  "Done": {"Type": "Succeed"}}}""");
        Path history = temp.resolve("retries.history.jsonl");
        List<JsonNode> told = new CopyOnWriteArrayList<>();
        StateMachineRunner.Outcome outcome = StateMachineRunner.installed().run(file,
                Map.of("ThrowsInInit", LocalLambda.arn(TestFunctions.THROWS_IN_INIT)), JSON.readTree("{}"), "retries", false,
                StateMachineRunner.Services.lambdaOnly(lambda.url()), temp.resolve("stepfunctions.log"), history, p -> { },
                told::add);
        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();

        // Two waits a state, none after the last attempt; each told with its state, error and attempt.
        assertThat(told).extracting(w -> w.get("state").asText() + " " + w.get("attempt").asInt() + "/"
                + w.get("max_attempts").asInt()).containsExactly("Init 1/2", "Init 2/2", "Jittered 1/2", "Jittered 2/2");
        assertThat(told).allSatisfy(w -> assertThat(w.get("error").asText()).isEqualTo("java.lang.IllegalStateException"));
        assertThat(told).allSatisfy(w -> assertThat(w.get("execution").asText()).isEqualTo("retries"));
        assertThat(told.subList(0, 2)).extracting(w -> w.get("seconds").asDouble()).containsExactly(1.0, 2.0);
        assertThat(told.get(2).get("seconds").asDouble()).isBetween(0.0, 2.0);
        assertThat(told.get(3).get("seconds").asDouble()).isBetween(0.0, 3.0);

        // The wait told is the wait taken: from each failure to the next attempt in the history.
        List<JsonNode> events = Files.readAllLines(history).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        int retry = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).get("type").asText().equals("LambdaFunctionFailed") && i + 1 < events.size()
                    && events.get(i + 1).get("type").asText().equals("LambdaFunctionScheduled")) {
                double waited = events.get(i + 1).get("timestamp").asDouble() - events.get(i).get("timestamp").asDouble();
                double chosen = told.get(retry++).get("seconds").asDouble();
                assertThat(waited).as("retry %d", retry).isBetween(chosen - 0.05, chosen + 1.0);
            }
        }
        assertThat(retry).isEqualTo(4);
    }

    @Test
    void anInvocationPastTheTimeoutIsStoppedAndStepFunctionsSeesSandboxTimedout() throws Exception {
        Path marker = temp.resolve("sleeps.log");
        long started = System.nanoTime();
        // Retried once on Sandbox.Timedout, then caught by States.TaskFailed; States.Timeout (the state's own) must not match.
        StateMachineRunner.Outcome outcome = execute("""
                {"StartAt": "Sleep", "States": {
                  "Sleep": {"Type": "Task", "Resource": "${Sleeps}", "TimeoutSeconds": 60,
                    "Retry": [{"ErrorEquals": ["Sandbox.Timedout"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                    "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Wrong"},
                              {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Caught"}],
                    "Next": "Wrong"},
                  "Wrong": {"Type": "Fail", "Error": "Wrong", "Cause": "not the path a Lambda timeout takes"},
                  "Caught": {"Type": "Succeed"}}}""", "{\"marker\": \"" + marker + "\"}", temp);
        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(outcome.output().at("/error/Error").asText()).isEqualTo("Sandbox.Timedout");
        JsonNode cause = JSON.readTree(outcome.output().at("/error/Cause").asText());
        assertThat(cause.get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(cause.get("errorMessage").asText()).matches("RequestId: [0-9a-f-]{36} Error: Task timed out after "
                + TestFunctions.SLEEPS_TIMEOUT_SECONDS + ".00 seconds");
        // Two attempts, each killed at its timeout: wait until the sleeps would have ended, and find no trace of them.
        long sleptUntil = started + 2 * 9_000_000_000L;
        Thread.sleep(Math.max(0, (sleptUntil - System.nanoTime()) / 1_000_000));
        assertThat(Files.readAllLines(marker)).containsExactly("started", "started");
        assertThat(TIMINGS.snapshot().get("function " + TestFunctions.SLEEPS).count()).isEqualTo(2);
    }

    @Test
    void concurrentInvocationsGetTheirOwnContainersWhichLaterInvocationsReuse() throws Exception {
        String definition = """
                {"StartAt": "Each", "States": {
                  "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                    "ItemProcessor": {"StartAt": "Report", "States": {
                      "Report": {"Type": "Task", "Resource": "${Reports}", "Parameters": {"sleep_ms": 1500}, "End": true}}},
                    "End": true}}}""";
        StateMachineRunner.Outcome first = execute(definition, "{\"items\": [1, 2]}", temp);
        StateMachineRunner.Outcome second = execute(definition, "{\"items\": [1, 2]}", temp);
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        Set<Long> firstPids = pids(first.output());
        assertThat(firstPids).hasSize(2);
        assertThat(pids(second.output())).isEqualTo(firstPids);
        // Static state lives as long as its container: each served one invocation in the first execution, two by now.
        assertThat(second.output().findValuesAsText("invocation")).containsOnly("2");
        JsonNode report = second.output().get(0);
        long remaining = report.get("remaining_ms").asLong();
        assertThat(remaining).isBetween(1_000L, TestFunctions.REPORTS_TIMEOUT_SECONDS * 1000L - 1500);
        assertThat(report.get("memory_mb").asInt()).isEqualTo(TestFunctions.REPORTS_MEMORY_MB);
        assertThat(report.get("max_heap").asLong()).isBetween(TestFunctions.REPORTS_MEMORY_MB * 1024L * 1024 * 70 / 100,
                TestFunctions.REPORTS_MEMORY_MB * 1024L * 1024 * 85 / 100);
        assertThat(report.get("timezone").asText()).isEqualTo("UTC");
        Set<String> env = new HashSet<>();
        report.get("env").forEach(n -> env.add(n.asText()));
        assertThat(env).contains("GIVEN_SETTING", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_REGION",
                "LAMBDA_TASK_ROOT", "_HANDLER");
        Set<String> ours = new HashSet<>(System.getenv().keySet());
        ours.removeAll(List.of("PATH", "LANG", "TZ"));
        assertThat(env).as("nothing of the runner's environment leaks into a function's").doesNotContainAnyElementsOf(ours);
    }

    private static Set<Long> pids(JsonNode reports) {
        Set<Long> pids = new HashSet<>();
        reports.forEach(r -> pids.add(r.get("pid").asLong()));
        return pids;
    }

    @Test
    void aFunctionErrorKeepsItsClassNameAsTheErrorStepFunctionsMatches() throws Exception {
        HttpResponse<String> response = invoke(TestFunctions.REPORTS, "{\"fail\": true}");
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("errorType").asText()).isEqualTo("dev.pricelake.local.lambda.testfunctions.Reports$Refused");
        assertThat(error.get("errorMessage").asText()).isEqualTo("asked to fail");
        assertThat(error.get("stackTrace").isArray()).isTrue();
        HttpResponse<String> byName = invokeAs(TestFunctions.REPORTS, "{}");
        assertThat(byName.statusCode()).isEqualTo(200);
        assertThat(byName.headers().firstValue("X-Amz-Function-Error")).isEmpty();
        assertThat(JSON.readTree(byName.body()).get("function").asText()).isEqualTo(TestFunctions.REPORTS);
        HttpResponse<String> unknown = invoke("nope", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    }

    /** Counts to $.stop: Count and Loop are 4 history events a round; with the start, Done and the end, 4 x stop + 4. */
    private static final String LOOP = """
            {"StartAt": "Count", "States": {
              "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)", "stop.$": "$.stop"}, "Next": "Loop"},
              "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThanPath": "$.stop", "Next": "Count"}],
                "Default": "Done"},
              "Done": {"Type": "Succeed"}}}""";

    @Test
    void anExecutionMayRecord25000HistoryEventsAndFailsAtTheNextOne() throws Exception {
        StateMachineRunner.Outcome full = execute(LOOP, "{\"n\": 0, \"stop\": 6249}", temp);
        assertThat(full.succeeded()).as(full.toString()).isTrue();
        assertThat(full.historyEvents()).isEqualTo(25_000);

        StateMachineRunner.Outcome over = execute(LOOP, "{\"n\": 0, \"stop\": 6250}", temp);
        assertThat(over.succeeded()).isFalse();
        assertThat(over.error()).isEqualTo("States.Runtime");
        assertThat(over.cause()).contains("maximum number of history events (25000)");
        assertThat(over.historyEvents()).isEqualTo(25_000);
    }

    @Test
    void aStateInputOrOutputOver256KibFailsTheExecutionAndNoCatchCatchesIt() throws Exception {
        StateMachineRunner.Outcome tooBig = execute("""
                {"StartAt": "Big", "States": {
                  "Big": {"Type": "Task", "Resource": "${Reports}", "Parameters": {"pad": 307200},
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
                  "Caught": {"Type": "Succeed"}}}""", "{}", temp);
        assertThat(tooBig.succeeded()).isFalse();
        assertThat(tooBig.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(tooBig.cause()).contains("'Big'");

        // A result just under the quota passes; a Pass state that doubles it does not, though its task did.
        StateMachineRunner.Outcome doubled = execute("""
                {"StartAt": "Under", "States": {
                  "Under": {"Type": "Task", "Resource": "${Reports}", "Parameters": {"pad": 258048}, "ResultPath": "$.r",
                    "Next": "Twice"},
                  "Twice": {"Type": "Pass", "Parameters": {"a.$": "$.r.padding", "b.$": "$.r.padding"}, "End": true}}}""",
                "{}", temp);
        assertThat(doubled.succeeded()).isFalse();
        assertThat(doubled.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(doubled.cause()).contains("'Twice'");
        assertThat(doubled.historyEvents()).as("the start, Under's 5, Twice entered, the failure").isEqualTo(1 + 5 + 1 + 1);
    }

    @Test
    void aDistributedMapRunsItsItemsAsChildExecutionsWithHistoriesOfTheirOwn() throws Exception {
        Path s3 = temp.resolve("s3");
        try (S3ProxyProcess proxy = S3ProxyProcess.start(s3, temp.resolve("s3proxy.log"), List.of("lake"))) {
            Files.writeString(s3.resolve("lake/items.json"), "[{\"stop\": 5000}, {\"stop\": 5000}, {\"stop\": 5000}]");
            Files.writeString(s3.resolve("lake/failing.json"), "[{\"stop\": 5000}, {\"stop\": 7000}]");
            String definition = """
                    {"StartAt": "Each", "States": {
                      "Each": {"Type": "Map", "MaxConcurrency": 2,
                        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                          "Parameters": {"Bucket": "lake", "Key.$": "$.key"}},
                        "ItemSelector": {"n": 0, "stop.$": "$$.Map.Item.Value.stop"},
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Count", "States": %s},
                        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                          "Parameters": {"Bucket": "lake", "Prefix": "results"}},
                        "ResultPath": "$.map",
                        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Stopped"}],
                        "Next": "Counted"},
                      "Stopped": {"Type": "Pass", "End": true},
                      "Counted": {"Type": "Succeed"}}}""".formatted(JSON.readTree(LOOP).get("States"));
            Path file = Files.writeString(Files.createTempFile(temp, "map", ".asl.json"), definition);
            StateMachineRunner.Services services = services(proxy);

            // Each child's 20,004 events are its own: together 60,012, far past one execution's 25,000.
            StateMachineRunner.Outcome three = StateMachineRunner.installed().run(file, Map.of(),
                    JSON.readTree("{\"key\": \"items.json\"}"), "map-ok", false, services, temp.resolve("sfn.log"));
            assertThat(three.succeeded()).as(three.toString()).isTrue();
            assertThat(three.childExecutions()).isEqualTo(3);
            assertThat(three.childMaxHistoryEvents()).isEqualTo(4 * 5000 + 4);
            assertThat(three.historyEvents()).as("start, the map's 6, Counted's 2, the end").isEqualTo(10);
            JsonNode written = three.output().at("/map/ResultWriterDetails");
            JsonNode manifest = JSON.readTree(s3.resolve("lake").resolve(written.get("Key").asText()).toFile());
            JsonNode succeeded = JSON.readTree(s3.resolve("lake").resolve(manifest.at("/ResultFiles/SUCCEEDED/0/Key").asText())
                    .toFile());
            assertThat(succeeded).hasSize(3);
            assertThat(succeeded.findValuesAsText("Status")).containsOnly("SUCCEEDED");

            StateMachineRunner.Outcome failing = StateMachineRunner.installed().run(file, Map.of(),
                    JSON.readTree("{\"key\": \"failing.json\"}"), "map-failing", false, services, temp.resolve("sfn.log"));
            assertThat(failing.succeeded()).as(failing.toString()).isTrue();
            assertThat(failing.output().at("/error/Error").asText()).isEqualTo("States.ExceedToleratedFailureThreshold");
            assertThat(failing.output().at("/error/Cause").asText()).contains("States.Runtime")
                    .contains("maximum number of history events");
            assertThat(failing.childExecutionsFailed()).isEqualTo(1);
        }
    }

    /** The local Lambda and the S3 stand-in, as a distributed Map's ItemReader and ResultWriter reach them. */
    private static StateMachineRunner.Services services(S3ProxyProcess proxy) {
        return new StateMachineRunner.Services(lambda.url(), proxy.endpoint(), S3ProxyProcess.ACCESS_KEY,
                S3ProxyProcess.SECRET_KEY);
    }

    @Test
    void anItemBatcherGivesEachChildItsItemsAfterItemSelectorAndItsBatchInput() throws Exception {
        Path s3 = temp.resolve("s3-batches");
        try (S3ProxyProcess proxy = S3ProxyProcess.start(s3, temp.resolve("s3proxy-batches.log"), List.of("lake"))) {
            Files.writeString(s3.resolve("lake/days.json"), "[\"d1\", \"d2\", \"d3\", \"d4\", \"d5\"]");
            // As AWS documents it: each child's input is {"BatchInput": ..., "Items": [...]}, the items after ItemSelector.
            String definition = """
                    {"StartAt": "Each", "States": {
                      "Each": {"Type": "Map", "MaxConcurrency": 2,
                        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                          "Parameters": {"Bucket": "lake", "Key": "days.json"}},
                        "ItemSelector": {"day.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                        "ItemBatcher": {"MaxItemsPerBatchPath": "$.per_child", "BatchInput": {"run.$": "$.run"}},
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true,
                            "Parameters": {"run.$": "$.BatchInput.run", "days.$": "$.Items[*].day",
                              "first.$": "$.Items[0].index"}}}},
                        "End": true}}}""";
            Path file = Files.writeString(Files.createTempFile(temp, "batcher", ".asl.json"), definition);
            StateMachineRunner.Services services = services(proxy);

            StateMachineRunner.Outcome twos = StateMachineRunner.installed().run(file, Map.of(),
                    JSON.readTree("{\"run\": \"r1\", \"per_child\": 2}"), "batches", false, services, temp.resolve("sfn.log"));
            assertThat(twos.succeeded()).as(twos.toString()).isTrue();
            assertThat(twos.childExecutions()).isEqualTo(3);
            assertThat(twos.output()).isEqualTo(JSON.readTree("""
                    [{"run": "r1", "days": ["d1", "d2"], "first": 0},
                     {"run": "r1", "days": ["d3", "d4"], "first": 2},
                     {"run": "r1", "days": ["d5"], "first": 4}]"""));

            StateMachineRunner.Outcome zero = StateMachineRunner.installed().run(file, Map.of(),
                    JSON.readTree("{\"run\": \"r1\", \"per_child\": 0}"), "no-batches", false, services, temp.resolve("sfn.log"));
            assertThat(zero.succeeded()).isFalse();
            assertThat(zero.error()).isEqualTo("States.Runtime");
            assertThat(zero.cause()).contains("MaxItemsPerBatch");
        }
    }
}
