package dev.pricelake.local.runner;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import dev.pricelake.adapters.dynamodb.DynamoDbRequestLimit;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.adapters.s3.S3ObjectStore;
import dev.pricelake.bronzewriter.WriteBronzeHandler;
import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.limit.InProcessRequestLimit;
import dev.pricelake.core.limit.RequestLimit;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.reference.ReferenceTables;
import dev.pricelake.fetcher.FetchPricesHandler;
import dev.pricelake.fetcher.FetchSessionsHandler;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SimulatorCommand;
import dev.pricelake.local.simulator.SyntheticMarket;
import dev.pricelake.local.standins.DynamoDbLocalProcess;
import dev.pricelake.local.standins.S3ProxyProcess;
import dev.pricelake.local.standins.StandIns;
import dev.pricelake.resampler.ResampleHandler;
import dev.pricelake.retention.WriteRecentHandler;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.selector.FailRunHandler;
import dev.pricelake.selector.FinishRunHandler;
import dev.pricelake.selector.MarkBatchHandler;
import dev.pricelake.selector.SelectTickersHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline on one machine: S3Proxy over {@code {data-dir}/s3}, DynamoDB Local persisted under
 * {@code {data-dir}/dynamodb}, the Polygon simulator (unless a real API is configured), the Java handlers
 * behind a local Lambda endpoint, and the state machine run by aws-local-stepfunctions.
 */
public final class LocalPipeline implements AutoCloseable {
    public static final String BUCKET = "pricelake";
    public static final String TABLE = "pricelake-progress";
    static final String SIMULATOR_KEY = "local-simulator";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Where things are and which Polygon to use. {@code polygonUrl} null: the simulator, or the real API with a
     * key. {@code timings}, when given, is told where the time goes (benchmarks).
     */
    public record Settings(Path dataDir, URI polygonUrl, String apiKey, Integer requestsPerMinute, String databaseUrl,
                           Timings timings) {
        public Settings(Path dataDir, URI polygonUrl, String apiKey, Integer requestsPerMinute, String databaseUrl) {
            this(dataDir, polygonUrl, apiKey, requestsPerMinute, databaseUrl, null);
        }
    }

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final Path dataDir;
    private final ObjectStore lake;
    private final DynamoDbProgressStore progress;
    private JdbcSql sql;
    /** Where the Polygon rate limit lives, as in AWS; none (a process-wide limit) when the table is not up. */
    private RequestLimit requestLimit = new InProcessRequestLimit();
    private PostgresRecentBars recent;
    private PolygonClient polygon;
    private LocalLambdaEndpoint endpoint;
    private volatile Consumer<JsonNode> selectionListener = selection -> { };

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
            pipeline.polygon = pipeline.polygon(settings, err);
            return pipeline;
        } catch (RuntimeException | IOException e) {
            pipeline.close();
            throw e;
        }
    }

    public static LocalPipeline start(Settings settings, PrintWriter err) throws IOException {
        LocalPipeline pipeline = null;
        S3ProxyProcess s3 = S3ProxyProcess.start(settings.dataDir().resolve("s3"),
                settings.dataDir().resolve("logs/s3proxy.log"), List.of(BUCKET));
        try {
            S3Client s3Client = S3ObjectStore.endpointClient(s3.endpoint(), S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY);
            LocalPipeline progressOnly = progressOnly(settings.dataDir());
            ObjectStore lake = new S3ObjectStore(s3Client, BUCKET);
            pipeline = new LocalPipeline(settings.dataDir(), settings.timings() == null ? lake
                    : settings.timings().objectStore(lake), progressOnly.progress);
            pipeline.toClose.addAll(progressOnly.toClose);
            pipeline.requestLimit = progressOnly.requestLimit;
            pipeline.toClose.push(s3);
            pipeline.toClose.push(s3Client);
            LocalPostgres postgres = LocalPostgres.start(settings.dataDir(), settings.databaseUrl());
            pipeline.toClose.push(postgres);
            pipeline.sql = new JdbcSql(postgres.dataSource());
            pipeline.recent = new PostgresRecentBars(pipeline.sql);
            pipeline.polygon = pipeline.polygon(settings, err);
            pipeline.endpoint = LocalLambdaEndpoint.start(pipeline.handlers(settings.timings()), pipeline::onResult,
                    settings.dataDir().resolve("logs/functions.log"));
            pipeline.toClose.push(pipeline.endpoint);
            return pipeline;
        } catch (RuntimeException | IOException e) {
            if (pipeline != null) {
                pipeline.close();
            } else {
                s3.close();
            }
            throw e;
        }
    }

    private PolygonClient polygon(Settings settings, PrintWriter err) throws IOException {
        URI url = settings.polygonUrl();
        String key = settings.apiKey();
        if (url == null && key == null) {
            SyntheticMarket market = new SyntheticMarket(42, 3000, SimulatorCommand.lastPublished(null), TradingCalendar.nyse());
            PolygonSimulator simulator = PolygonSimulator.start(market, PolygonSimulator.Options.defaults(), 0);
            toClose.push(simulator);
            err.println("Polygon: the local simulator at " + simulator.baseUrl() + " (3,000 synthetic tickers, seed 42);"
                    + " set POLYGON_API_KEY to use the real API");
            url = simulator.baseUrl();
            key = SIMULATOR_KEY;
        } else if (url == null) {
            url = PolygonConfig.OFFICIAL_API;
            err.println("Polygon: " + url + " with the key in POLYGON_API_KEY");
        } else {
            err.println("Polygon: " + url);
        }
        PolygonConfig config = PolygonConfig.of(url, key == null ? SIMULATOR_KEY : key, settings.requestsPerMinute());
        if (config.requestsPerMinute() > 0) {
            err.println("Polygon: at most " + config.requestsPerMinute() + " requests per minute");
        }
        return PolygonClient.create(config, new RequestThrottle(requestLimit, (wait, perMinute) -> { }));
    }

    private Map<String, RequestStreamHandler> handlers(Timings timings) {
        Clock clock = Clock.systemUTC();
        ReferenceTables tables = new ReferenceTables(new PostgresSymbols(sql), new PostgresCacheEntries(sql));
        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        handlers.put("pricelake-select-tickers", new SelectTickersHandler(progress, polygon, Optional.of(recent),
                Optional.of(tables), lake, clock));
        PriceSource prices = timings == null ? polygon : timings.priceSource(polygon);
        handlers.put("pricelake-fetch-sessions", new FetchSessionsHandler(prices, progress, lake, clock));
        handlers.put("pricelake-fetch-prices", new FetchPricesHandler(prices, progress, lake, clock));
        handlers.put("pricelake-write-bronze", new WriteBronzeHandler(progress, lake, clock));
        handlers.put("pricelake-write-recent", new WriteRecentHandler(progress, lake, recent, tables.symbols(), clock));
        handlers.put("pricelake-mark-batch", new MarkBatchHandler(progress, clock));
        handlers.put("pricelake-finish-run", new FinishRunHandler(progress, clock));
        handlers.put("pricelake-fail-run", new FailRunHandler(progress, clock));
        handlers.put("pricelake-resample", new ResampleHandler(lake, progress, ResampleHandler.intervals(null), clock));
        if (timings != null) {
            handlers.replaceAll(timings::handler);
        }
        return handlers;
    }

    private void onResult(String function, byte[] output) {
        if (function.equals("pricelake-select-tickers")) {
            try {
                selectionListener.accept(JSON.readTree(output));
            } catch (IOException e) {
                throw new IllegalStateException("SelectTickers returned unreadable JSON", e);
            }
        }
    }

    /**
     * Runs one execution of the state machine; {@code onSelection} hears SelectTickers' answer (the run id, the
     * plan) once it exists.
     */
    public StateMachineRunner.Outcome execute(JsonNode input, boolean fastRetries, Consumer<JsonNode> onSelection)
            throws IOException, InterruptedException {
        selectionListener = onSelection;
        Map<String, String> substitutions = new LinkedHashMap<>();
        FunctionCatalog.byStatePlaceholder().forEach((placeholder, function) ->
                substitutions.put(placeholder, LocalLambdaEndpoint.arn(function.functionName())));
        String execution = "local-" + Instant.now().toEpochMilli();
        return StateMachineRunner.installed().run(StandIns.home("statemachines/backfill.asl.json"), substitutions, input,
                execution, fastRetries, endpoint.url(), dataDir.resolve("logs/stepfunctions.log"));
    }

    public PolygonClient polygon() {
        return polygon;
    }

    public PostgresRecentBars recent() {
        return recent;
    }

    /** The local PostgreSQL (embedded, or --database-url), for the reference tables. */
    public Sql sql() {
        return sql;
    }

    public ProgressStore progress() {
        return progress;
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
