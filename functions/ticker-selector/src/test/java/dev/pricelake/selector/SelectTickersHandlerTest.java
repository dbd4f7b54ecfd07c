package dev.pricelake.selector;

import static dev.pricelake.adapters.polygon.PolygonConfig.FREE_PLAN_REQUESTS_PER_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.InMemoryCorporateActionSource;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * SelectTickers as the state machine calls it: the execution's input and identity in, the batch list in the lake
 * and only its key out; and a retry of the step (after its first attempt wrote the run and then failed or timed out)
 * continues that run instead of orphaning it or finding it "already exists".
 */
class SelectTickersHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-03T11:00:00Z"), ZoneOffset.UTC);
    private static final String EXECUTION = "arn:aws:states:us-east-1:000000000000:execution:pricelake-backfill:e1";
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final SelectTickersHandler handler = new SelectTickersHandler(progress, new InMemoryReferenceSource(List.of()),
            new InMemoryCorporateActionSource(), Optional.empty(), Optional.empty(), Optional.empty(), lake,
            JSON.createObjectNode().put("url", "http://127.0.0.1:1"), FREE_PLAN_REQUESTS_PER_MINUTE, CLOCK);

    private static JsonNode event(String request, String execution) throws Exception {
        ObjectNode event = Events.object();
        event.set("request", JSON.readTree(request.replace('\'', '"')));
        event.putObject("execution").put("id", execution).put("start_time", "2024-06-03T10:59:58.123Z");
        return event;
    }

    private List<Batch> batchList(JsonNode output) throws Exception {
        byte[] list = lake.get(output.get("batches_key").asText()).orElseThrow();
        List<Batch> batches = new ArrayList<>();
        JSON.readTree(list).forEach(b -> batches.add(Events.batch(b)));
        return batches;
    }

    private static String tickers(int n) {
        return String.join(",", IntStream.range(0, n).mapToObj(i -> "'T" + i + "'").toList());
    }

    @Test
    void theBatchesAreWrittenToTheLakeAndOnlyTheirKeyTravelsWhateverTheirNumber() throws Exception {
        JsonNode out = handler.invoke(event("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':[" + tickers(3000)
                + "]},'batch_size':7}", EXECUTION));
        List<Batch> batches = batchList(out);
        assertThat(out.get("batch_count").asInt()).isEqualTo(batches.size()).isEqualTo(429);
        assertThat(batches).flatExtracting(Batch::tickers).extracting(Ticker::value).hasSize(3000).startsWith("T0", "T1")
                .endsWith("T2999");
        assertThat(batches).extracting(Batch::batch).containsExactlyElementsOf(IntStream.range(0, 429).boxed().toList());
        assertThat(out.has("batches")).isFalse();
        assertThat(out.toString().length()).isLessThan(2000);
        assertThat(out.get("batches_key").asText()).startsWith("staging/" + out.get("run_id").asText() + "/batches/");
    }

    @Test
    void aFlatFilesRunListsEverySessionsFileForTheMapAndOtherRunsListNone() throws Exception {
        JsonNode files = handler.invoke(event("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':['A','B']},"
                + "'flat_files':true}", EXECUTION));
        // January 2024's NYSE sessions: the weekdays but New Year's Day and Martin Luther King Jr. Day (the 15th).
        List<String> january = IntStream.rangeClosed(1, 31).mapToObj(d -> LocalDate.of(2024, 1, d))
                .filter(d -> d.getDayOfWeek().getValue() <= 5 && d.getDayOfMonth() != 1 && d.getDayOfMonth() != 15)
                .map(LocalDate::toString).toList();
        String key = files.get("flat_files_key").asText();
        assertThat(key).startsWith("staging/" + files.get("run_id").asText() + "/");
        assertThat(JSON.readTree(lake.get(key).orElseThrow())).isEqualTo(JSON.valueToTree(january));
        assertThat(files.at("/fetch_sessions/flat_files").asBoolean()).isTrue();

        new RunControl(progress, CLOCK).finish(new RunId(files.get("run_id").asText()));
        JsonNode grouped = handler.invoke(event("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':['A','B']},"
                + "'fetch':'grouped'}", EXECUTION + "-2"));
        assertThat(grouped.has("fetch_sessions")).isTrue();
        assertThat(grouped.has("flat_files_key")).isFalse();
    }

    /**
     * The README's model by hand, 100 tickers over January and February 2024 (41 sessions): with no limit 100 x 0.05 =
     * 5 s of range calls against 41 x (0.05 + 0.17) = 9.02 s of grouped sessions; at 5 a minute 1,200 s against 41 x
     * 12.17 = 498.97 s.
     */
    @Test
    void aRunWithoutARateOfItsOwnIsPlannedAtTheDeploymentsAndARunsOwnRateWins() throws Exception {
        SelectTickersHandler unlimited = new SelectTickersHandler(progress, new InMemoryReferenceSource(List.of()),
                new InMemoryCorporateActionSource(), Optional.empty(), Optional.empty(), Optional.empty(), lake,
                JSON.createObjectNode().put("url", "https://api.polygon.io"), 0, CLOCK);
        String range = "'start':'2024-01-01','end':'2024-02-29','selection':{'tickers':[" + tickers(100) + "]}";
        JsonNode deployments = unlimited.invoke(event("{" + range + "}", EXECUTION));
        JsonNode plan = deployments.at("/plan/0");
        assertThat(plan.get("fetch").asText()).isEqualTo("range");
        assertThat(plan.get("range_seconds").asDouble()).isEqualTo(5.0);
        assertThat(plan.get("grouped_seconds").asDouble()).isEqualTo(9.02);
        assertThat(batchList(deployments)).as("the fetchers call at the deployment's rate as they find it")
                .allSatisfy(b -> assertThat(b.requestsPerMinute()).isNull());

        new RunControl(progress, CLOCK).finish(new RunId(deployments.get("run_id").asText()));
        JsonNode own = unlimited.invoke(event("{" + range + ",'requests_per_minute':5}", EXECUTION + "-2")).at("/plan/0");
        assertThat(own.get("fetch").asText()).isEqualTo("grouped");
        assertThat(own.get("range_seconds").asDouble()).isEqualTo(1200.0);
        assertThat(own.get("grouped_seconds").asDouble()).isEqualTo(498.97);
    }

    @Test
    void aRetriedBackfillContinuesTheRunItsFirstAttemptCreatedAndAnotherExecutionStartsItsOwn() throws Exception {
        JsonNode request = event("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':['A','B','C']},'batch_size':2}",
                EXECUTION);
        JsonNode first = handler.invoke(request);
        RunId run = new RunId(first.get("run_id").asText());
        assertThat(run.value()).startsWith("backfill-20240603-105958-");
        assertThat(progress.run(run).orElseThrow().createdBy(EXECUTION)).isTrue();

        // The first attempt's answer was lost (a timeout, say) and Step Functions retries the state.
        JsonNode retried = handler.invoke(request);
        assertThat(retried.get("run_id").asText()).isEqualTo(run.value());
        assertThat(retried.get("done").asBoolean()).isFalse();
        assertThat(retried.get("epoch").asInt()).isEqualTo(2);
        assertThat(batchList(retried)).flatExtracting(Batch::tickers).extracting(Ticker::value).containsExactly("A", "B", "C");
        assertThat(batchList(retried)).allSatisfy(b -> assertThat(b.epoch()).isEqualTo(2));

        // One run writes the lake at a time: the other execution starts once this run has finished.
        new RunControl(progress, CLOCK).finish(run);
        JsonNode other = handler.invoke(event("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':['A','B','C']}}",
                EXECUTION + "-2"));
        assertThat(other.get("run_id").asText()).isNotEqualTo(run.value());
        assertThat(progress.run(run).orElseThrow().epoch()).isEqualTo(2);
    }

    @Test
    void aRetriedDailyTriggerContinuesItsRunWhileAnotherTriggerOfTheDayDoesNothing() throws Exception {
        PlanningTest.inLake(lake, "AAA", "2024-05-01", "2024-05-30", CLOCK);
        JsonNode request = event("{'mode':'daily','as_of':'2024-06-03'}", EXECUTION);
        JsonNode first = handler.invoke(request);
        assertThat(first.get("run_id").asText()).isEqualTo("daily-20240603");
        assertThat(first.get("done").asBoolean()).isFalse();

        JsonNode retried = handler.invoke(request);
        assertThat(retried.get("done").asBoolean()).as(retried.toString()).isFalse();
        assertThat(retried.get("epoch").asInt()).isEqualTo(2);
        assertThat(batchList(retried)).flatExtracting(Batch::tickers).extracting(Ticker::value).containsExactly("AAA");

        JsonNode repeated = handler.invoke(event("{'mode':'daily','as_of':'2024-06-03'}", EXECUTION + "-2"));
        assertThat(repeated.get("done").asBoolean()).isTrue();
        assertThat(repeated.get("message").asText()).contains("already exists (RUNNING)");
        assertThat(progress.run(new RunId("daily-20240603")).orElseThrow().epoch()).isEqualTo(2);
    }

    @Test
    void aRetryAfterTheFirstAttemptFinishedTheRunSaysSo() throws Exception {
        PlanningTest.inLake(lake, "AAA", "2024-05-01", "2024-05-30", CLOCK);
        JsonNode request = event("{'mode':'daily','as_of':'2024-06-03'}", EXECUTION);
        RunId run = new RunId(handler.invoke(request).get("run_id").asText());
        // The first attempt's run went through to the end, and then its answer was lost.
        progress.finishRun(run, RunStatus.COMPLETE, java.util.Map.of("succeeded", 1L), null, CLOCK.instant());
        JsonNode retried = handler.invoke(request);
        assertThat(retried.get("done").asBoolean()).isTrue();
        assertThat(retried.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(retried.get("message").asText()).contains("is COMPLETE: an earlier attempt of this execution finished it");
        assertThat(progress.run(run).orElseThrow().epoch()).isEqualTo(1);
    }

    @Test
    void aRetryOfADayWithNothingToFetchIsAgainNothingAndRecordsNoRun() throws Exception {
        PlanningTest.inLake(lake, "AAA", "2024-03-01", "2024-03-28", CLOCK);
        JsonNode request = event("{'mode':'daily','as_of':'2024-04-01'}", EXECUTION);
        assertThat(handler.invoke(request).get("done").asBoolean()).isTrue();
        JsonNode retried = handler.invoke(request);
        assertThat(retried.get("done").asBoolean()).isTrue();
        assertThat(retried.get("message").asText()).startsWith("nothing to fetch");
        assertThat(progress.run(new RunId("daily-20240401"))).as("a later run of the day is not blocked").isEmpty();
    }

    @Test
    void aRunThatFailedKeepsTheErrorThatFailedItFirst() throws Exception {
        JsonNode out = handler.invoke(event("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':['A']}}", EXECUTION));
        RunId run = new RunId(out.get("run_id").asText());
        FailRunHandler fail = new FailRunHandler(progress, CLOCK);
        fail.invoke(JSON.readTree("{\"run_id\":\"" + run + "\",\"error\":{\"Error\":\"dev.pricelake.core.NotAuthorizedException\","
                + "\"Cause\":\"{\\\"errorMessage\\\":\\\"the API key was rejected\\\"}\"}}"));
        fail.invoke(JSON.readTree("{\"run_id\":\"" + run + "\",\"error\":{\"Error\":\"States.ExceedToleratedFailureThreshold\","
                + "\"Cause\":\"a child failed\"}}"));
        assertThat(progress.run(run).orElseThrow().error()).as("our own errors are recorded without their class name")
                .isEqualTo("the API key was rejected");
        progress.beginAttempt(run, CLOCK.instant());
        fail.invoke(JSON.readTree("{\"run_id\":\"" + run + "\",\"error\":{\"Error\":\"E\",\"Cause\":\"the next attempt's own\"}}"));
        assertThat(progress.run(run).orElseThrow().error()).isEqualTo("E: the next attempt's own");
    }
}
