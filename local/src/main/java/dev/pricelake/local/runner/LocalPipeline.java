package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import dev.pricelake.adapters.dynamodb.DynamoDbRequestLimit;
import dev.pricelake.adapters.flatfiles.S3FlatFiles;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.adapters.s3.S3ObjectStore;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import dev.pricelake.catalog.Need;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.RunId;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.limit.InProcessRequestLimit;
import dev.pricelake.core.limit.RequestLimit;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.local.lambda.LocalFunction;
import dev.pricelake.local.lambda.LocalLambda;
import dev.pricelake.local.lambda.Timings;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SimulatorCommand;
import dev.pricelake.local.simulator.SyntheticMarket;
import dev.pricelake.local.standins.DynamoDbLocalProcess;
import dev.pricelake.local.standins.S3ProxyProcess;
import dev.pricelake.local.standins.StandIns;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline on one machine: S3Proxy over {@code {data-dir}/s3}, DynamoDB Local persisted under
 * {@code {data-dir}/dynamodb}, PostgreSQL, the Polygon simulator (unless a real API is configured), the functions of
 * functions.json in containers as Lambda runs them (see {@link LocalLambda}), and the state machine run by
 * aws-local-stepfunctions.
 */
public final class LocalPipeline implements AutoCloseable {
    public static final String BUCKET = "pricelake";
    public static final String TABLE = "pricelake-progress";
    static final String SIMULATOR_KEY = "local-simulator";
    private static final String DEFINITION = "statemachines/backfill.asl.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Where things are and which Polygon to use. {@code polygonUrl} null: the simulator, or the real API with a
     * key. {@code timings} is told where the time goes; {@code functionTimeouts} replaces functions.json's timeout of
     * the functions it names (short names, as {@code fetch-sessions}), to rehearse a shorter one. {@code resumes}: the
     * run a resume continues, whose recorded source is used unless a Polygon URL is given.
     */
    public record Settings(Path dataDir, URI polygonUrl, String apiKey, Integer requestsPerMinute, String databaseUrl,
                           Timings timings, Map<String, Integer> functionTimeouts, RunId resumes, FlatFiles flatFiles) {
        public Settings {
            functionTimeouts = Map.copyOf(functionTimeouts);
            flatFiles = flatFiles == null ? FlatFiles.DERIVED : flatFiles;
        }

        public Settings(Path dataDir, URI polygonUrl, String apiKey, Integer requestsPerMinute, String databaseUrl) {
            this(dataDir, polygonUrl, apiKey, requestsPerMinute, databaseUrl, new Timings(), Map.of(), null, null);
        }

        public Settings withTimings(Timings timings) {
            return new Settings(dataDir, polygonUrl, apiKey, requestsPerMinute, databaseUrl, timings, functionTimeouts, resumes,
                    flatFiles);
        }

        public Settings withFunctionTimeouts(Map<String, Integer> timeouts) {
            return new Settings(dataDir, polygonUrl, apiKey, requestsPerMinute, databaseUrl, timings, timeouts, resumes, flatFiles);
        }

        public Settings withFlatFiles(FlatFiles files) {
            return new Settings(dataDir, polygonUrl, apiKey, requestsPerMinute, databaseUrl, timings, functionTimeouts, resumes,
                    files);
        }

        Settings resuming(RunId run) {
            return new Settings(dataDir, polygonUrl, apiKey, requestsPerMinute, databaseUrl, timings, functionTimeouts, run,
                    flatFiles);
        }
    }

    /**
     * Where the functions read flat files and with which credentials. A null URL follows the prices: the simulator's
     * own URL (it serves both), the Polygon URL given (a simulator elsewhere), or Massive's official endpoint with the
     * real API. Null credentials are the simulator's stand-in pair, except at the official endpoint, which needs real ones.
     */
    public record FlatFiles(URI url, String accessKeyId, String secretAccessKey) {
        static final FlatFiles DERIVED = new FlatFiles(null, null, null);

        FlatFiles resolve(URI prices, boolean official) {
            URI at = url != null ? url : official ? S3FlatFiles.OFFICIAL_ENDPOINT : prices;
            if (accessKeyId != null && secretAccessKey != null) {
                return new FlatFiles(at, accessKeyId, secretAccessKey);
            }
            return isOfficial(at) ? new FlatFiles(at, null, null)
                    : new FlatFiles(at, PolygonSimulator.FLATFILES_ACCESS_KEY, PolygonSimulator.FLATFILES_SECRET_KEY);
        }

        static boolean isOfficial(URI url) {
            return url != null && S3FlatFiles.OFFICIAL_ENDPOINT.getHost().equalsIgnoreCase(url.getHost());
        }
    }

    /** The simulator a run used: the same seed, size and last session give the same market. */
    record SimulatorSpec(long seed, int tickers, LocalDate lastSession) {
        static SimulatorSpec defaults() {
            return new SimulatorSpec(42, 3000, SimulatorCommand.lastPublished(null));
        }
    }

    /**
     * Where the stand-ins listen and which Polygon the functions call: what their environment points them at; and
     * how runs record that Polygon.
     */
    private record Endpoints(URI s3, URI dynamodb, String jdbcUrl, PolygonConfig polygon, JsonNode source, FlatFiles flatFiles) {
    }

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final Path dataDir;
    private final ObjectStore lake;
    private final DynamoDbProgressStore progress;
    private JdbcSql sql;
    /** Where the Polygon rate limit lives, as in AWS; none (a process-wide limit) when the table is not up. */
    private RequestLimit requestLimit = new InProcessRequestLimit();
    private URI dynamodbEndpoint;
    private PolygonClient polygon;
    private PolygonConfig polygonConfig;
    private FlatFiles flatFiles;
    private final List<JsonNode> flatFilesFallbacks = Collections.synchronizedList(new ArrayList<>());
    private LocalLambda lambda;
    private URI s3Endpoint;
    /** Where prices come from, as runs record it (the simulator with its seed, or a URL). */
    private ObjectNode source;
    private String jdbcUrl;
    private volatile Consumer<JsonNode> selectionListener = selection -> { };
    private final RetryWaits retryWaits = new RetryWaits();

    private LocalPipeline(Path dataDir, ObjectStore lake, DynamoDbProgressStore progress) {
        this.dataDir = dataDir;
        this.lake = lake;
        this.progress = progress;
    }

    /** Starts only the progress table: enough to read a run's status. */
    public static LocalPipeline progressOnly(Path dataDir) {
        DynamoDbLocalProcess dynamo = DynamoDbLocalProcess.start(dataDir.resolve("dynamodb"), dataDir.resolve("logs/dynamodb.log"));
        DynamoDbClient client = DynamoDbProgressStore.endpointClient(dynamo.endpoint());
        DynamoDbProgressStore store = new DynamoDbProgressStore(client, TABLE);
        LocalPipeline pipeline = new LocalPipeline(dataDir, null, store);
        pipeline.dynamodbEndpoint = dynamo.endpoint();
        pipeline.toClose.push(dynamo);
        pipeline.toClose.push(client);
        store.createTableIfMissing();
        pipeline.requestLimit = new DynamoDbRequestLimit(client, TABLE);
        return pipeline;
    }

    /** Starts only the lake (S3Proxy over {@code {data-dir}/s3}): enough to resample. */
    public static LocalPipeline lakeOnly(Path dataDir) {
        S3ProxyProcess s3 = S3ProxyProcess.start(dataDir.resolve("s3"), dataDir.resolve("logs/s3proxy.log"), List.of(BUCKET));
        S3Client s3Client = S3ObjectStore.endpointClient(s3.endpoint(), S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY);
        LocalPipeline pipeline = new LocalPipeline(dataDir, new S3ObjectStore(s3Client, BUCKET), null);
        pipeline.toClose.push(s3);
        pipeline.toClose.push(s3Client);
        return pipeline;
    }

    /** Starts the lake and the Polygon client (the simulator unless a real API is configured): enough for reference data. */
    public static LocalPipeline lakeAndPolygon(Settings settings, PrintWriter err) throws IOException {
        LocalPipeline pipeline = lakeOnly(settings.dataDir());
        try {
            pipeline.polygon = pipeline.polygon(settings, Optional.empty(), err);
            return pipeline;
        } catch (RuntimeException | IOException e) {
            pipeline.close();
            throw e;
        }
    }

    public static LocalPipeline start(Settings settings, PrintWriter err) throws IOException {
        return start(settings, err, false);
    }

    /** The whole pipeline; with {@code anyS3Credentials} its S3 accepts any client's keys (see {@link S3ProxyProcess}). */
    public static LocalPipeline start(Settings settings, PrintWriter err, boolean anyS3Credentials) throws IOException {
        // The three stand-ins are processes of their own that spend their start-up loading classes and waiting on
        // sockets: started side by side, a command waits for the slowest of them rather than for their sum.
        Path dataDir = settings.dataDir();
        LocalPipeline pipeline = null;
        List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService starting = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("pricelake-start-", 0).factory())) {
            Future<S3ProxyProcess> s3Started = starting.submit(() -> startedOne(started,
                    S3ProxyProcess.start(dataDir.resolve("s3"), dataDir.resolve("logs/s3proxy.log"), List.of(BUCKET),
                            anyS3Credentials)));
            Future<LocalPipeline> progressStarted = starting.submit(() -> startedOne(started, progressOnly(dataDir)));
            Future<LocalPostgres> postgresStarted = starting.submit(() -> startedOne(started,
                    LocalPostgres.start(dataDir, settings.databaseUrl())));
            S3ProxyProcess s3 = awaitStarted(s3Started);
            LocalPipeline progressOnly = awaitStarted(progressStarted);
            LocalPostgres postgres = awaitStarted(postgresStarted);
            S3Client s3Client = S3ObjectStore.endpointClient(s3.endpoint(), S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY);
            pipeline = new LocalPipeline(dataDir, new S3ObjectStore(s3Client, BUCKET), progressOnly.progress);
            pipeline.dynamodbEndpoint = progressOnly.dynamodbEndpoint;
            pipeline.s3Endpoint = s3.endpoint();
            pipeline.toClose.addAll(progressOnly.toClose);
            pipeline.requestLimit = progressOnly.requestLimit;
            pipeline.toClose.push(s3);
            pipeline.toClose.push(s3Client);
            pipeline.toClose.push(postgres);
            started.clear();
            pipeline.jdbcUrl = postgres.jdbcUrl();
            pipeline.sql = new JdbcSql(postgres.dataSource());
            pipeline.polygon = pipeline.polygon(settings, pipeline.recordedSource(settings), err);
            Endpoints endpoints = new Endpoints(s3.endpoint(), pipeline.dynamodbEndpoint, postgres.jdbcUrl(),
                    pipeline.polygonConfig, pipeline.source, pipeline.flatFiles);
            pipeline.lambda = LocalLambda.start(functions(endpoints, settings.functionTimeouts()),
                    dataDir.resolve("logs/lambda"), settings.timings(), pipeline::onResult);
            pipeline.toClose.push(pipeline.lambda);
            return pipeline;
        } catch (RuntimeException | IOException e) {
            if (pipeline != null) {
                pipeline.close();
            }
            // Those that started while another failed (every one, if the failure came later, is the pipeline's).
            for (AutoCloseable one : List.copyOf(started)) {
                try {
                    one.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T startedOne(List<AutoCloseable> started, T one) {
        started.add(one);
        return one;
    }

    /** What a start on another thread gave, or what it threw, as it threw it. */
    private static <T> T awaitStarted(Future<T> start) throws IOException {
        try {
            return start.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case IOException io -> throw io;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the stand-ins started", e);
        }
    }

    /**
     * Every function of functions.json (those the state machine calls, and the scheduled jobs), with the environment
     * AWS would give it: what each need grants (as CDK writes it), pointed at the stand-ins. A container starts only
     * when its function is first invoked.
     */
    private static List<LocalFunction> functions(Endpoints endpoints, Map<String, Integer> timeouts) {
        List<LocalFunction> out = new ArrayList<>();
        for (FunctionSpec spec : FunctionCatalog.all()) {
            Map<String, String> env = new LinkedHashMap<>();
            // What the execution role's credentials are in AWS; the stand-ins accept these.
            env.put("AWS_ACCESS_KEY_ID", S3ProxyProcess.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", S3ProxyProcess.SECRET_KEY);
            for (Need need : spec.needs()) {
                switch (need) {
                    case PROGRESS -> {
                        env.put("PROGRESS_TABLE", TABLE);
                        env.put(FunctionEnvironment.DYNAMODB_ENDPOINT, endpoints.dynamodb().toString());
                    }
                    case LAKE_READ, LAKE_WRITE -> {
                        env.put("LAKE_BUCKET", BUCKET);
                        env.put(FunctionEnvironment.S3_ENDPOINT, endpoints.s3().toString());
                    }
                    case POLYGON -> {
                        env.put("POLYGON_BASE_URL", endpoints.polygon().baseUrl().toString());
                        env.put("POLYGON_API_KEY", endpoints.polygon().apiKey().current());
                        env.put("POLYGON_REQUESTS_PER_MINUTE", Integer.toString(endpoints.polygon().requestsPerMinute()));
                        env.put(FunctionEnvironment.POLYGON_SOURCE, endpoints.source().toString());
                    }
                    case FLAT_FILES -> {
                        env.put(FunctionEnvironment.FLATFILES_URL, endpoints.flatFiles().url().toString());
                        if (endpoints.flatFiles().accessKeyId() != null) {
                            env.put(FunctionEnvironment.FLATFILES_ACCESS_KEY_ID, endpoints.flatFiles().accessKeyId());
                            env.put(FunctionEnvironment.FLATFILES_SECRET_ACCESS_KEY, endpoints.flatFiles().secretAccessKey());
                        }
                    }
                    case DATABASE -> env.put(FunctionEnvironment.JDBC_URL, endpoints.jdbcUrl());
                }
            }
            out.add(new LocalFunction(spec.functionName(), spec.handler(), spec.jar(StandIns.home("")), spec.memoryMb(),
                    timeouts.getOrDefault(spec.name(), spec.timeoutSeconds()), env));
        }
        return out;
    }

    /**
     * The source a resumed run recorded, when no Polygon URL was given: a resume keeps its source, and never
     * silently switches a run of the real API (or of another URL) to the simulator.
     */
    private Optional<JsonNode> recordedSource(Settings settings) {
        if (settings.resumes() == null || settings.polygonUrl() != null) {
            return Optional.empty();
        }
        return progress.run(settings.resumes()).flatMap(run -> {
            try {
                JsonNode source = JSON.readTree(run.input()).get("source");
                return Optional.ofNullable(source);
            } catch (IOException e) {
                throw new IllegalStateException("run " + run.runId() + " has an unreadable stored input", e);
            }
        });
    }

    private PolygonClient polygon(Settings settings, Optional<JsonNode> recorded, PrintWriter err) throws IOException {
        URI url = settings.polygonUrl();
        String key = settings.apiKey();
        SimulatorSpec simulatorSpec = SimulatorSpec.defaults();
        if (recorded.isPresent() && recorded.get().has("url")) {
            url = URI.create(recorded.get().get("url").asText());
            if (url.getHost() != null && url.getHost().equals(PolygonConfig.OFFICIAL_API.getHost()) && key == null) {
                throw new InvalidInputException("run_id", "run " + settings.resumes() + " fetched its prices from " + url
                        + ": set POLYGON_API_KEY to resume it (a resume never switches a run to the simulator)");
            }
            err.println("Polygon: " + url + ", where run " + settings.resumes() + " fetched its prices");
        } else if (recorded.isPresent() && recorded.get().has("simulator")) {
            JsonNode sim = recorded.get().get("simulator");
            simulatorSpec = new SimulatorSpec(sim.path("seed").asLong(), sim.path("tickers").asInt(),
                    LocalDate.parse(sim.path("last_session").asText()));
            url = null;
            key = null;
        }
        source = JSON.createObjectNode();
        if (url == null && key == null) {
            SyntheticMarket market = new SyntheticMarket(simulatorSpec.seed(), simulatorSpec.tickers(), simulatorSpec.lastSession(),
                    TradingCalendar.nyse());
            PolygonSimulator simulator = PolygonSimulator.start(market, PolygonSimulator.Options.defaults(), 0);
            toClose.push(simulator);
            err.printf(java.util.Locale.ROOT, "Polygon: the local simulator at %s (%,d synthetic tickers, seed %d, bars through"
                    + " %s); set POLYGON_API_KEY to use the real API%n", simulator.baseUrl(), simulatorSpec.tickers(),
                    simulatorSpec.seed(), market.lastPublishedSession());
            url = simulator.baseUrl();
            key = SIMULATOR_KEY;
            ObjectNode sim = source.putObject("simulator");
            sim.put("seed", simulatorSpec.seed());
            sim.put("tickers", simulatorSpec.tickers());
            sim.put("last_session", market.lastPublishedSession().toString());
        } else {
            if (url == null) {
                url = PolygonConfig.OFFICIAL_API;
                err.println("Polygon: " + url + " with the key in POLYGON_API_KEY");
            } else if (recorded.isEmpty()) {
                err.println("Polygon: " + url);
            }
            source.put("url", url.toString());
        }
        PolygonConfig config = PolygonConfig.of(url, key == null ? SIMULATOR_KEY : key, settings.requestsPerMinute());
        if (config.requestsPerMinute() > 0) {
            err.println("Polygon: at most " + config.requestsPerMinute() + " requests per minute");
        }
        polygonConfig = config;
        flatFiles = settings.flatFiles().resolve(url, url.getHost() != null
                && url.getHost().equals(PolygonConfig.OFFICIAL_API.getHost()));
        return PolygonClient.create(config, new RequestThrottle(requestLimit, (wait, perMinute) -> { }));
    }

    private void onResult(String function, byte[] output) {
        if (function.equals("pricelake-select-tickers")) {
            try {
                selectionListener.accept(JSON.readTree(output));
            } catch (IOException e) {
                throw new IllegalStateException("SelectTickers returned unreadable JSON", e);
            }
        }
        if (function.equals("pricelake-fetch-sessions")) {
            try {
                JSON.readTree(output).path("flat_files_fallbacks").forEach(flatFilesFallbacks::add);
            } catch (IOException e) {
                throw new IllegalStateException("FetchSessions returned unreadable JSON", e);
            }
        }
    }

    /** The sessions this pipeline's runs took from grouped daily instead of a flat file, and why. */
    public List<JsonNode> flatFilesFallbacks() {
        return List.copyOf(flatFilesFallbacks);
    }

    /**
     * Runs one execution of the state machine; {@code onSelection} hears SelectTickers' answer (the run id, the
     * plan) once it exists.
     */
    public StateMachineRunner.Outcome execute(JsonNode input, boolean fastRetries, Consumer<JsonNode> onSelection)
            throws IOException, InterruptedException {
        selectionListener = onSelection;
        return execute(input, "local-" + Instant.now().toEpochMilli(), fastRetries, null, process -> { });
    }

    /**
     * Runs one named execution, its history appended to {@code historyFile} (or none), its runner process handed to
     * {@code onStart} so it can be stopped. Several may run at once; SelectTickers' answer reaches no listener.
     */
    public StateMachineRunner.Outcome execute(JsonNode input, String executionName, boolean fastRetries, Path historyFile,
            Consumer<Process> onStart) throws IOException, InterruptedException {
        return StateMachineRunner.installed().run(StandIns.home(DEFINITION), substitutions(), input,
                executionName, fastRetries, new StateMachineRunner.Services(lambda.url(), s3Endpoint, S3ProxyProcess.ACCESS_KEY,
                        S3ProxyProcess.SECRET_KEY), dataDir.resolve("logs/stepfunctions.log"), historyFile, onStart,
                retryWaits::started);
    }

    /** The retry waits of this pipeline's executions in progress. */
    public RetryWaits retryWaits() {
        return retryWaits;
    }

    /**
     * Invokes a function as EventBridge Scheduler does (its Invoke API) and waits for its answer: the function's
     * output, or its error payload; which it was is {@code X-Amz-Function-Error} in AWS and in the answer here.
     */
    public Invocation invoke(String functionName, String payload) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create(lambda.url() + "/2015-03-31/functions/" + functionName + "/invocations"))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Invocation(response.statusCode() == 200 && response.headers()
                    .firstValue("X-Amz-Function-Error").isEmpty(), response.body());
        }
    }

    /** A function's answer: its output when it succeeded, else its error payload (or the service's error). */
    public record Invocation(boolean succeeded, String payload) {
    }

    /** The state machine's definition as written, before CDK's substitutions. */
    public static String definition() throws IOException {
        return Files.readString(StandIns.home(DEFINITION));
    }

    /** What CDK substitutes in the definition, the local way: each function's ARN, and the lake bucket. */
    public static Map<String, String> substitutions() {
        Map<String, String> substitutions = new LinkedHashMap<>();
        FunctionCatalog.byStatePlaceholder().forEach((placeholder, function) ->
                substitutions.put(placeholder, LocalLambda.arn(function.functionName())));
        substitutions.put("LakeBucket", BUCKET);
        return substitutions;
    }

    /** The Polygon rate every function of a run is held to (0: none), unless the run's input says otherwise. */
    public int requestsPerMinute() {
        return polygonConfig.requestsPerMinute();
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public URI dynamodbEndpoint() {
        return dynamodbEndpoint;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public PolygonClient polygon() {
        return polygon;
    }

    /** Where this pipeline fetches prices, as runs record it. */
    public JsonNode source() {
        return source;
    }

    /** The local PostgreSQL (embedded, or --database-url), for the reference tables. */
    public Sql sql() {
        return sql;
    }

    public ProgressStore progress() {
        return progress;
    }

    /**
     * A run whose runner stopped under it (Ctrl-C, SIGTERM, serve stopping): recorded INTERRUPTED with its counts, and
     * the lake's writer lease given back so the next run need not wait for it to lapse. A run that ended meanwhile
     * keeps its status. The tickers it fetched stay FETCHED, so a resume writes them without asking the source again.
     */
    public void saveInterrupted(RunId runId, String reason) {
        progress.run(runId).filter(run -> run.status() == RunStatus.RUNNING).ifPresent(run -> {
            progress.finishRun(runId, RunStatus.INTERRUPTED, RunSummary.of(runId, progress.tickers(runId)).counts(), reason,
                    Instant.now());
            progress.releaseLease(runId);
        });
    }

    public ObjectStore lake() {
        return lake;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The lake bucket's folder: S3Proxy serves it, and each object is a plain file in it. */
    public static Path bucketDir(Path dataDir) {
        return dataDir.resolve("s3").resolve(BUCKET);
    }

    /**
     * The lake read and written straight from its folder, without S3Proxy: for commands that only work on the lake
     * (a resample), which then read at the disk's speed. Writes are atomic renames, as S3Proxy's own are.
     */
    public static FileObjectStore localLake(Path dataDir) {
        return new FileObjectStore(bucketDir(dataDir));
    }

    /**
     * Whether the data dir holds a lake (any day or minute bronze file), read from the folder itself before anything
     * starts.
     */
    static boolean hasLake(Path dataDir) {
        Path bucket = bucketDir(dataDir);
        // Day files lie at symbol=X/data.parquet, minute files at symbol=X/year=Y/month=M/data.parquet.
        return hasDataFile(bucket.resolve(BronzeLake.PREFIX), 2) || hasDataFile(bucket.resolve(MinuteBronzeLake.PREFIX), 4);
    }

    private static boolean hasDataFile(Path folder, int depth) {
        try (java.util.stream.Stream<Path> files = Files.find(folder, depth,
                (file, attributes) -> attributes.isRegularFile() && file.getFileName().toString().equals("data.parquet"))) {
            return files.findAny().isPresent();
        } catch (IOException noFolder) {
            return false;
        }
    }

    @Override
    public void close() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                System.err.println("pricelake: while stopping: " + e);
            }
        }
    }
}
