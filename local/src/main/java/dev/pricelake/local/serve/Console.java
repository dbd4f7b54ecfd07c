package dev.pricelake.local.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.local.runner.LocalPipeline;
import dev.pricelake.local.runner.RunsCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The web console: plain HTML and JavaScript from this jar's {@code console/} resources (the charting library among
 * them, vendored from npm at build time), and the JSON it reads under {@code /console/api/}.
 */
final class Console implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = EdgeServer.CONSOLE + "/api/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private static final DateTimeFormatter LOAD_NAME = DateTimeFormatter
            .ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final LocalPipeline pipeline;
    private final Executions executions;
    private final Clock clock;
    private final LakeViews lake;
    private final Universes universes;

    Console(LocalPipeline pipeline, Executions executions, Clock clock) {
        this.pipeline = pipeline;
        this.executions = executions;
        this.clock = clock;
        this.lake = new LakeViews(LocalPipeline.bucketDir(pipeline.dataDir()), pipeline.sql(),
                pipeline.dataDir().resolve("console/coverage.json"));
        this.universes = new Universes(pipeline.sql(), pipeline.lake(), clock);
    }

    /**
     * Gets ready what the first visit of each page would otherwise wait for: the lake's coverage, computed in the
     * background when the lake changed since it was last kept; DuckDB and the Parquet reader; the progress table.
     */
    void warm() {
        lake.coverage();
        try {
            lake.warmReaders();
            runs();
        } catch (RuntimeException e) {
            System.err.println("pricelake serve: the console's readers could not be warmed: " + e.getMessage());
        }
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiError("BadRequest", "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private JsonNode symbol(String name, String interval) {
        Ticker ticker;
        int k;
        try {
            ticker = Ticker.of(name);
            k = Integer.parseInt(interval);
        } catch (RuntimeException e) {
            throw new ApiError("BadRequest", e.getMessage());
        }
        ObjectNode out = (ObjectNode) lake.bars(ticker, k);
        out.set("reference", lake.reference(ticker));
        return out;
    }

    /** The execution's history as log lines, the newest last. */
    private JsonNode log(String name) {
        ExecutionRecord record = executions.get(name).orElseThrow(() -> new ApiError("NotFound", "no execution " + name));
        ObjectNode out = execution(record);
        ArrayNode lines = out.putArray("log");
        List<JsonNode> events = executions.history(name);
        for (JsonNode e : events.subList(Math.max(0, events.size() - 200), events.size())) {
            String state = e.path("stateEnteredEventDetails").path("name").asText(e.path("stateExitedEventDetails").path("name").asText(""));
            JsonNode failure = e.path("lambdaFunctionFailedEventDetails");
            lines.add(Instant.ofEpochMilli((long) (e.path("timestamp").asDouble() * 1000)) + " " + e.path("type").asText()
                    + (state.isEmpty() ? "" : " " + state) + (failure.isMissingNode() ? "" : " " + failure.path("error").asText()));
        }
        out.set("waiting", waiting(name));
        String runId = executions.runIdOf(record);
        if (runId != null) {
            RunId id = new RunId(runId);
            pipeline.progress().run(id).ifPresent(run -> out.set("run", RunsCommand.summary(pipeline.progress(), run,
                    pipeline.progress().tickers(id))));
        }
        return out;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try {
            if (path.startsWith(API)) {
                api(exchange, path.substring(API.length()));
            } else {
                file(exchange, path);
            }
        } catch (ApiError e) {
            error(exchange, e.type().equals("NotFound") ? 404 : 400, e.type(), e.getMessage());
        } catch (RuntimeException e) {
            // The page shows the message; serve's stderr keeps the whole story.
            System.err.println("pricelake serve: console " + path + ": " + e);
            error(exchange, 500, "InternalError", String.valueOf(e.getMessage()));
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.put("error", type);
        error.put("message", message);
        EdgeServer.send(exchange, status, "application/json", JSON.writeValueAsBytes(error));
    }

    private void file(HttpExchange exchange, String path) throws IOException {
        String name = path.equals(EdgeServer.CONSOLE) || path.equals(EdgeServer.CONSOLE + "/") ? "index.html"
                : path.substring(EdgeServer.CONSOLE.length() + 1);
        if (name.contains("..") || path.equals("/favicon.ico")) {
            throw new ApiError("NotFound", "no such page: " + path);
        }
        try (InputStream in = Console.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new ApiError("NotFound", "no such page: " + path);
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            EdgeServer.send(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes());
        }
    }

    private void api(HttpExchange exchange, String route) throws IOException {
        String method = exchange.getRequestMethod();
        String[] parts = route.split("/");
        JsonNode answer;
        if (method.equals("GET") && route.equals("runs")) {
            answer = runs();
        } else if (method.equals("GET") && parts.length == 2 && parts[0].equals("runs")) {
            answer = run(parts[1]);
        } else if (method.equals("POST") && parts.length == 3 && parts[0].equals("runs") && parts[2].equals("resume")) {
            answer = resume(parts[1]);
        } else if (method.equals("GET") && route.equals("executions")) {
            answer = executions();
        } else if (method.equals("GET") && parts.length == 3 && parts[0].equals("executions") && parts[2].equals("log")) {
            answer = log(parts[1]);
        } else if (method.equals("GET") && route.equals("lake/coverage")) {
            answer = lake.coverage();
        } else if (method.equals("GET") && parts.length == 2 && parts[0].equals("symbols")) {
            answer = symbol(parts[1], query(exchange).getOrDefault("interval", "1"));
        } else if (method.equals("POST") && route.equals("load")) {
            answer = execution(executions.start("load-" + LOAD_NAME.format(clock.instant()) + "-"
                    + UUID.randomUUID().toString().substring(0, 8), LoadJob.input(body(exchange), clock).toString()));
        } else if (method.equals("GET") && route.equals("universes")) {
            answer = universes.list();
        } else if (method.equals("POST") && route.equals("universes/rebuild")) {
            answer = universes.rebuild(body(exchange));
        } else {
            throw new ApiError("NotFound", "no such call: " + method + " " + route);
        }
        EdgeServer.send(exchange, 200, "application/json", JSON.writeValueAsBytes(answer));
    }

    private JsonNode runs() {
        ArrayNode list = JSON.createArrayNode();
        for (RunRecord run : pipeline.progress().runs()) {
            list.add(RunsCommand.summary(pipeline.progress(), run, pipeline.progress().tickers(run.runId())));
        }
        return list;
    }

    private JsonNode run(String id) {
        RunId runId = runId(id);
        RunRecord run = pipeline.progress().run(runId).orElseThrow(() -> new ApiError("NotFound", "no run " + id));
        var tickers = pipeline.progress().tickers(runId);
        ObjectNode o = RunsCommand.summary(pipeline.progress(), run, tickers);
        o.put("input", run.input());
        ArrayNode list = o.putArray("ticker_items");
        tickers.forEach(t -> list.add(RunsCommand.ticker(t)));
        executions.list().stream().filter(e -> id.equals(e.runId()) || id.equals(executions.runIdOf(e))).findFirst()
                .ifPresent(e -> {
                    o.put("execution", e.name());
                    o.put("execution_status", e.status());
                    o.set("waiting", waiting(e.name()));
                    executions.selection(e.name()).map(sel -> sel.get("plan")).ifPresent(plan -> o.set("plan", plan));
                });
        return o;
    }

    /** The execution's retry waits in progress, as text: "waiting 40 s for the Polygon rate limit (...)". */
    private JsonNode waiting(String execution) {
        ArrayNode list = JSON.createArrayNode();
        Instant now = Instant.now();
        pipeline.retryWaits().current(execution, now).forEach(w -> list.add(w.text(now)));
        return list;
    }

    private JsonNode resume(String id) {
        RunId runId = runId(id);
        pipeline.progress().run(runId).orElseThrow(() -> new ApiError("NotFound", "no run " + id));
        ExecutionRecord started = executions.start("resume-" + UUID.randomUUID(), "{\"run_id\": \"" + runId.value() + "\"}");
        return execution(started);
    }

    private JsonNode executions() {
        ArrayNode list = JSON.createArrayNode();
        executions.list().stream().limit(50).forEach(e -> list.add(execution(e)));
        return list;
    }

    private ObjectNode execution(ExecutionRecord e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", e.name());
        o.put("arn", StepFunctionsApi.executionArn(e.name()));
        o.put("status", e.status());
        o.put("started_at", Instant.ofEpochMilli(e.startDate()).toString());
        String runId = executions.runIdOf(e);
        if (runId != null) {
            o.put("run_id", runId);
        }
        if (e.error() != null) {
            o.put("error", e.error());
            o.put("cause", e.cause());
        }
        return o;
    }

    private static RunId runId(String id) {
        try {
            return new RunId(id);
        } catch (RuntimeException e) {
            throw new ApiError("NotFound", "not a run id: " + id);
        }
    }
}
