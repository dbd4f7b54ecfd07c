package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pricelake serve} driven by the real AWS CLI, as the README drives AWS with {@code --endpoint-url} added: one
 * serve for the class over a small simulated market; the simulator's own bars are the referee for the lake.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeAwsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final DateRange RANGE = DateRange.parse("2024-01-01", "2024-06-28");
    private static final String ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:pricelake-backfill";

    @TempDir
    static Path temp;
    static PolygonSimulator simulator;
    static ServeProcess serve;
    static Path data;
    static List<String> tickers;

    @BeforeAll
    static void startServe() throws Exception {
        simulator = PolygonSimulator.start(new SyntheticMarket(42, 300, LocalDate.of(2024, 7, 5), CALENDAR),
                PolygonSimulator.Options.defaults(), 0);
        tickers = BackfillEndToEndTest.listedThrough(simulator.market(), RANGE, 9);
        data = temp.resolve("data");
        serve = ServeProcess.start(data, simulator.baseUrl(), temp.resolve("logs"), "--no-schedule");
    }

    @AfterAll
    static void stopServe() throws Exception {
        if (serve != null) {
            serve.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    private static Path input(String name, String json) throws Exception {
        Path file = temp.resolve(name + ".json");
        Files.writeString(file, json);
        return file;
    }

    private static String backfillInput(List<String> symbols, String extra) {
        return "{\"mode\": \"backfill\", \"start\": \"" + RANGE.start() + "\", \"end\": \"" + RANGE.end()
                + "\", \"selection\": {\"tickers\": " + quoted(symbols) + "}, \"batch_size\": 2, \"max_concurrency\": 1"
                + extra + "}";
    }

    private static String quoted(List<String> symbols) {
        return symbols.stream().map(s -> "\"" + s + "\"").toList().toString();
    }

    private static String start(String name, Path input) throws Exception {
        return serve.awsOk("stepfunctions", "start-execution", "--state-machine-arn", ARN, "--name", name, "--input",
                "file://" + input).json().get("executionArn").asText();
    }

    private static String runIdOf(JsonNode described) throws Exception {
        return JSON.readTree(described.get("output").asText()).get("run_id").asText();
    }

    private static List<JsonNode> history(String arn) throws Exception {
        JsonNode events = serve.awsOk("stepfunctions", "get-execution-history", "--execution-arn", arn).json().get("events");
        return StreamSupport.stream(events.spliterator(), false).toList();
    }

    @Test
    @Order(1)
    void aBackfillStartedWithTheCliSucceedsWithItsHistoryAndItsLakeIsReadWithS3AndDynamoDbCommands() throws Exception {
        JsonNode machines = serve.awsOk("stepfunctions", "list-state-machines").json();
        assertThat(machines.at("/stateMachines/0/stateMachineArn").asText()).isEqualTo(ARN);
        assertThat(serve.awsOk("stepfunctions", "describe-state-machine", "--state-machine-arn", ARN).json()
                .get("definition").asText()).contains("SelectTickers").contains("arn:aws:lambda:");
        List<String> three = tickers.subList(0, 3);
        String arn = start("first-backfill", input("first", backfillInput(three, "")));
        assertThat(arn).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:pricelake-backfill:first-backfill");

        JsonNode done = serve.awaitEnd(arn, Duration.ofSeconds(180));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("input").asText()).contains(three.getFirst());
        assertThat(done.get("stopDate").asDouble()).isGreaterThanOrEqualTo(done.get("startDate").asDouble());
        String runId = runIdOf(done);

        List<JsonNode> events = history(arn);
        assertThat(events.getFirst().get("type").asText()).isEqualTo("ExecutionStarted");
        assertThat(events.getFirst().at("/executionStartedEventDetails/input").asText()).contains(three.getFirst());
        assertThat(events.getLast().get("type").asText()).isEqualTo("ExecutionSucceeded");
        assertThat(events).extracting(e -> e.get("id").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("type").asText()).isEqualTo("TaskStateEntered");
            assertThat(e.at("/stateEnteredEventDetails/name").asText()).isEqualTo("SelectTickers");
        });
        // Paged as AWS pages: a page of 5 and a token to the rest, in reverse order when asked.
        JsonNode page = serve.awsOk("stepfunctions", "get-execution-history", "--execution-arn", arn, "--no-paginate",
                "--max-results", "5", "--reverse-order").json();
        assertThat(page.get("events")).hasSize(5);
        assertThat(page.at("/events/0/type").asText()).isEqualTo("ExecutionSucceeded");
        JsonNode next = serve.awsOk("stepfunctions", "get-execution-history", "--execution-arn", arn, "--no-paginate",
                "--max-results", "5", "--reverse-order", "--next-token", page.get("nextToken").asText()).json();
        assertThat(next.at("/events/0/id").asLong()).isEqualTo(events.size() - 5);

        assertThat(serve.awsOk("stepfunctions", "list-executions", "--state-machine-arn", ARN, "--status-filter",
                "SUCCEEDED").json().get("executions")).anySatisfy(e -> assertThat(e.get("executionArn").asText()).isEqualTo(arn));

        // The lake through S3 and the progress table through DynamoDB, with the client's own credentials.
        String listing = serve.awsOk("s3", "ls", "s3://pricelake/bronze/raw_ohlcv/").out();
        for (String t : three) {
            assertThat(listing).contains("PRE symbol=" + t + "/");
        }
        Path copy = temp.resolve("copy.parquet");
        serve.awsOk("s3", "cp", "s3://pricelake/bronze/raw_ohlcv/symbol=" + three.getFirst() + "/data.parquet", copy.toString());
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(
                Cli.bronze(data).resolve("symbol=" + three.getFirst()).resolve("data.parquet")));
        JsonNode item = serve.awsOk("dynamodb", "get-item", "--table-name", "pricelake-progress", "--key",
                "{\"run_id\": {\"S\": \"" + runId + "\"}, \"item\": {\"S\": \"RUN\"}}").json().get("Item");
        assertThat(item.at("/status/S").asText()).isEqualTo("COMPLETE");
        Map<Ticker, List<Bar>> expected = BackfillEndToEndTest.validOnly(BackfillEndToEndTest.served(simulator, three, RANGE));
        assertThat(Cli.bronzeBars(data)).containsAllEntriesOf(expected);

        // An unsigned request is refused, as AWS refuses one.
        assertThat(anonymousStatus(serve.url() + "/pricelake?list-type=2")).isEqualTo(403);
    }

    private static int anonymousStatus(String url) throws Exception {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    @Order(2)
    void badInputIsRefusedOrFailsTheExecutionNamingTheFieldAndErrorsHaveAwsNames() throws Exception {
        ServeProcess.Aws notJson = serve.aws("stepfunctions", "start-execution", "--state-machine-arn", ARN,
                "--input", "{not json");
        assertThat(notJson.exit()).isNotZero();
        assertThat(notJson.err()).contains("InvalidExecutionInput");

        String arn = start("reversed", input("reversed", "{\"mode\": \"backfill\", \"start\": \"2024-06-01\", \"end\":"
                + " \"2024-01-01\", \"selection\": {\"tickers\": [\"" + tickers.getFirst() + "\"]}}"));
        JsonNode failed = serve.awaitEnd(arn, Duration.ofSeconds(120));
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("cause").asText()).contains("end").contains("before start 2024-06-01");
        assertThat(history(arn).getLast().get("type").asText()).isEqualTo("ExecutionFailed");

        assertThat(serve.aws("stepfunctions", "start-execution", "--state-machine-arn", ARN, "--name", "reversed",
                "--input", "{}").err()).contains("ExecutionAlreadyExists");
        assertThat(serve.aws("stepfunctions", "describe-execution", "--execution-arn",
                "arn:aws:states:us-east-1:000000000000:execution:pricelake-backfill:nope").err()).contains("ExecutionDoesNotExist");
        assertThat(serve.aws("stepfunctions", "describe-execution", "--execution-arn", "arn:aws:sqs:nope").err())
                .contains("InvalidArn");
        assertThat(serve.aws("stepfunctions", "start-execution", "--state-machine-arn", ARN + "-other").err())
                .contains("StateMachineDoesNotExist");
        assertThat(serve.aws("stepfunctions", "start-execution", "--state-machine-arn", ARN, "--name", "a b").err())
                .contains("InvalidName");
    }

    @Test
    @Order(3)
    void aStoppedExecutionIsAbortedAndItsRunResumesByRunIdToTheSameLake() throws Exception {
        List<String> six = tickers.subList(3, 9);
        // 30 requests a minute: one ticker every 2 s, so the run is still going when it is stopped.
        String arn = start("to-stop", input("to-stop", backfillInput(six, ", \"requests_per_minute\": 30")));
        String runId = awaitRunWithSucceededTickers(arn);

        serve.awsOk("stepfunctions", "stop-execution", "--execution-arn", arn, "--error", "Operator", "--cause", "testing");
        JsonNode stopped = serve.awsOk("stepfunctions", "describe-execution", "--execution-arn", arn).json();
        assertThat(stopped.get("status").asText()).isEqualTo("ABORTED");
        assertThat(stopped.get("error").asText()).isEqualTo("Operator");
        assertThat(history(arn).getLast().get("type").asText()).isEqualTo("ExecutionAborted");
        assertThat(serve.awsOk("stepfunctions", "list-executions", "--state-machine-arn", ARN, "--status-filter",
                "ABORTED").json().get("executions")).anySatisfy(e -> assertThat(e.get("name").asText()).isEqualTo("to-stop"));
        List<String> succeededBeforeResume = succeededTickers(runId);
        assertThat(succeededBeforeResume).isNotEmpty().hasSizeLessThan(six.size());

        String resumed = start("resume", input("resume", "{\"run_id\": \"" + runId + "\"}"));
        JsonNode done = serve.awaitEnd(resumed, Duration.ofSeconds(240));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(runIdOf(done)).isEqualTo(runId);
        assertThat(succeededTickers(runId)).containsExactlyInAnyOrderElementsOf(six);
        Map<Ticker, List<Bar>> expected = BackfillEndToEndTest.validOnly(BackfillEndToEndTest.served(simulator, six, RANGE));
        assertThat(Cli.bronzeBars(data)).containsAllEntriesOf(expected);
    }

    /** Waits until the execution's run has a ticker SUCCEEDED, read with the CLI; answers the run id. */
    private static String awaitRunWithSucceededTickers(String arn) throws Exception {
        String runId = awaitRunId(arn);
        await("a ticker of " + runId + " succeeded", () -> succeededTickers(runId).isEmpty() ? null : runId);
        return runId;
    }

    /** Polls until the answer is not null. */
    private static <T> T await(String what, Callable<T> poll) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (T answer = poll.call(); ; answer = poll.call()) {
            if (answer != null) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in time: " + what + "\n" + serve.stderr());
            }
            Thread.sleep(500);
        }
    }

    private static List<String> succeededTickers(String runId) throws Exception {
        JsonNode items = serve.awsOk("dynamodb", "query", "--table-name", "pricelake-progress", "--key-condition-expression",
                "run_id = :r AND begins_with(#i, :t)", "--expression-attribute-names", "{\"#i\": \"item\"}",
                "--expression-attribute-values", "{\":r\": {\"S\": \"" + runId + "\"}, \":t\": {\"S\": \"TICKER#\"}}")
                .json().get("Items");
        List<String> out = new ArrayList<>();
        items.forEach(i -> {
            if (i.at("/status/S").asText().equals("SUCCEEDED")) {
                out.add(i.at("/item/S").asText().substring("TICKER#".length()));
            }
        });
        return out;
    }

    @Test
    @Order(4)
    void ctrlCSavesARunningExecutionAsInterruptedAndExecutionsSurviveARestart() throws Exception {
        List<String> two = tickers.subList(0, 2);
        String arn = start("interrupted", input("interrupted", backfillInput(two, ", \"requests_per_minute\": 6")));
        String runId = awaitRunId(arn);

        assertThat(serve.interrupt()).isZero();
        assertThat(serve.stderr()).contains("stopping");
        serve = ServeProcess.start(data, simulator.baseUrl(), temp.resolve("logs"), "--no-schedule");

        JsonNode interrupted = serve.awsOk("stepfunctions", "describe-execution", "--execution-arn", arn).json();
        assertThat(interrupted.get("status").asText()).isEqualTo("ABORTED");
        assertThat(interrupted.get("error").asText()).isEqualTo("pricelake.Interrupted");
        assertThat(interrupted.get("cause").asText()).contains(runId);
        JsonNode run = serve.awsOk("dynamodb", "get-item", "--table-name", "pricelake-progress", "--key",
                "{\"run_id\": {\"S\": \"" + runId + "\"}, \"item\": {\"S\": \"RUN\"}}").json().get("Item");
        assertThat(run.at("/status/S").asText()).isEqualTo("INTERRUPTED");
        assertThat(run.at("/error/S").asText()).startsWith("interrupted");
        // The lake's writer lease was given back: the next run need not wait for it to lapse.
        assertThat(serve.awsOk("dynamodb", "get-item", "--table-name", "pricelake-progress", "--key",
                "{\"run_id\": {\"S\": \"#LEASE\"}, \"item\": {\"S\": \"WRITER\"}}").out()).doesNotContain(runId);
        // Every execution of the first serve is still there.
        assertThat(serve.awsOk("stepfunctions", "list-executions", "--state-machine-arn", ARN).json().get("executions"))
                .extracting(e -> e.get("name").asText()).contains("first-backfill", "reversed", "to-stop", "resume", "interrupted");
    }

    @Test
    @Order(5)
    void atSixInNewYorkOnAWeekdayTheScheduleStartsTheDailyExecutionWhichCatchesTheLakeUp() throws Exception {
        assertThat(serve.interrupt()).isZero();
        // Monday 2024-07-08, 06:00 in New York (daylight saving time) is 10:00Z: serve's clock starts just before, as it
        // comes up.
        serve = ServeProcess.start(data, simulator.baseUrl(), temp.resolve("logs"), "--clock-start", "2024-07-08T09:59:45Z");
        String name = "scheduled-daily-20240708";
        await("the scheduled execution", () -> {
            JsonNode listed = serve.awsOk("stepfunctions", "list-executions", "--state-machine-arn", ARN).json().get("executions");
            return StreamSupport.stream(listed.spliterator(), false).anyMatch(e -> e.get("name").asText().equals(name)) ? name : null;
        });
        JsonNode done = serve.awaitEnd("arn:aws:states:us-east-1:000000000000:execution:pricelake-backfill:" + name,
                Duration.ofSeconds(300));
        assertThat(done.get("status").asText()).as(done + "\n" + serve.stderr()).isEqualTo("SUCCEEDED");
        assertThat(JSON.readTree(done.get("input").asText()).get("scheduled_time").asText()).isEqualTo("2024-07-08T10:00:00Z");
        assertThat(runIdOf(done)).startsWith("daily-");
        assertThat(serve.stderr()).contains("schedule daily fires for 2024-07-08T06:00-04:00[America/New_York]");
        // Every symbol of the lake caught up through the market's last session before that morning.
        List<String> inLake = tickers.subList(0, 9);
        DateRange through = DateRange.parse("2024-01-01", "2024-07-05");
        assertThat(Cli.bronzeBars(data)).containsAllEntriesOf(
                BackfillEndToEndTest.validOnly(BackfillEndToEndTest.served(simulator, inLake, through)));
    }

    @Test
    @Order(6)
    void badOptionsAreRefusedNamedAsTypedBeforeAnythingStarts() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
        Cli.Result port = Cli.run("serve", "--port", "70000", "--data-dir", temp.resolve("unused").toString());
        assertThat(port.exit()).as(port.toString()).isEqualTo(2);
        assertThat(port.err()).contains("error: --port 70000 is not a port");
        Cli.Result clock = Cli.run("serve", "--port", "0", "--clock-start", "tomorrow", "--data-dir",
                temp.resolve("unused").toString());
        assertThat(clock.exit()).as(clock.toString()).isEqualTo(2);
        assertThat(clock.err()).contains("error: --clock-start 'tomorrow' is not an instant");
        Cli.Result dataDir = Cli.run("serve", "--port", "0", "--data-dir", file.resolve("data").toString());
        assertThat(dataDir.exit()).as(dataDir.toString()).isEqualTo(2);
        assertThat(dataDir.err()).contains("error: --data-dir " + file.resolve("data") + " cannot be created");
        assertThat(temp.resolve("unused")).as("nothing made for a refused start").doesNotExist();
    }

    /** Waits until SelectTickers created the run (its id is in the history). */
    private static String awaitRunId(String arn) throws Exception {
        return await("the run of " + arn, () -> {
            for (JsonNode e : history(arn)) {
                String output = e.at("/lambdaFunctionSucceededEventDetails/output").asText("");
                if (output.contains("run_id")) {
                    return JSON.readTree(output).get("run_id").asText();
                }
            }
            return null;
        });
    }
}
