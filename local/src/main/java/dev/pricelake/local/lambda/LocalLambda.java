package dev.pricelake.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Lambda on this machine: the Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) that the state
 * machine's Task states call, in front of containers run as AWS runs them (see {@link Container}). An invocation
 * goes to an idle container of its function, or to a new one, whose init phase it then waits for (a cold start);
 * concurrent invocations get separate containers, and a container serves one invocation at a time and is reused
 * afterwards. Errors come back as Lambda returns them: HTTP 200 with {@code X-Amz-Function-Error: Unhandled} and
 * the error's JSON, whose {@code errorType} is what Step Functions matches.
 */
public final class LocalLambda implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";
    /** Lambda's limit on a synchronous invocation's request. */
    static final int MAX_REQUEST_BYTES = 6 * 1024 * 1024;
    private static final String PREFIX = "/2015-03-31/functions/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, LocalFunction> functions;
    private final RuntimeImage image;
    private final Path logDir;
    private final Timings timings;
    private final BiConsumer<String, byte[]> onResult;
    private final Map<String, ConcurrentLinkedDeque<Container>> idle = new ConcurrentHashMap<>();
    private final Set<Container> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private final Thread shutdownHook = new Thread(this::stopContainers);

    private LocalLambda(HttpServer server, ExecutorService executor, Map<String, LocalFunction> functions, RuntimeImage image,
            Path logDir, Timings timings, BiConsumer<String, byte[]> onResult) {
        this.server = server;
        this.executor = executor;
        this.functions = functions;
        this.image = image;
        this.logDir = logDir;
        this.timings = timings;
        this.onResult = onResult;
    }

    /**
     * @param logDir   each container writes its log stream to {@code {logDir}/{function}/{n}.log}, as CloudWatch keeps a
     *                 stream per container
     * @param timings  told each invocation's and each init's time
     * @param onResult told of every successful invocation: the function name and its output
     */
    public static LocalLambda start(List<LocalFunction> functions, Path logDir, Timings timings,
            BiConsumer<String, byte[]> onResult) throws IOException {
        return start(functions, RuntimeImage.installed(), logDir, timings, onResult);
    }

    static LocalLambda start(List<LocalFunction> functions, RuntimeImage image, Path logDir, Timings timings,
            BiConsumer<String, byte[]> onResult) throws IOException {
        Map<String, LocalFunction> byName = new LinkedHashMap<>();
        functions.forEach(f -> byName.put(f.name(), f));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        LocalLambda lambda = new LocalLambda(server, executor, Map.copyOf(byName), image, logDir, timings, onResult);
        server.createContext(PREFIX, lambda::invoke);
        server.setExecutor(executor);
        server.start();
        Runtime.getRuntime().addShutdownHook(lambda.shutdownHook);
        return lambda;
    }

    public static String arn(String functionName) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many containers have been started (cold starts) so far. */
    public int containersStarted() {
        return started.get();
    }

    private void invoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/invocations")) {
                send(exchange, 404, Map.of(), "{\"message\":\"not an Invoke request\"}");
                return;
            }
            String name = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - "/invocations".length()),
                    StandardCharsets.UTF_8);
            LocalFunction function = functions.get(name.substring(name.lastIndexOf(':') + 1));
            if (function == null) {
                send(exchange, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                        "{\"Type\":\"User\",\"message\":\"Function not found: " + arn(name) + "\"}");
                return;
            }
            byte[] payload = exchange.getRequestBody().readAllBytes();
            if (payload.length > MAX_REQUEST_BYTES) {
                send(exchange, 413, Map.of("x-amzn-ErrorType", "RequestTooLargeException"),
                        "{\"Type\":\"User\",\"message\":\"Request must be smaller than " + MAX_REQUEST_BYTES
                                + " bytes for the InvokeFunction operation\"}");
                return;
            }
            Container.Result result = run(function, payload);
            if (!result.functionError()) {
                onResult.accept(function.name(), result.body());
            }
            exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
            send(exchange, 200, result.functionError() ? Map.of("X-Amz-Function-Error", "Unhandled") : Map.of(), result.body());
        }
    }

    private Container.Result run(LocalFunction function, byte[] payload) {
        String requestId = UUID.randomUUID().toString();
        Container container = warm(function);
        Long initNanos = null;
        if (container == null) {
            long start = System.nanoTime();
            int n = started.incrementAndGet();
            container = Container.start(function, image, logDir.resolve(function.name()).resolve(n + ".log"),
                    RuntimeImage.lambdaEnvironment(function, REGION));
            all.add(container);
            var initFailure = container.awaitInit(requestId);
            initNanos = System.nanoTime() - start;
            timings.record("init " + function.name(), initNanos);
            if (initFailure.isPresent()) {
                log(container, "INIT_REPORT Init Duration: " + millis(initNanos) + " Phase: init Status: error");
                retire(container);
                return initFailure.get();
            }
        }
        log(container, "START RequestId: " + requestId + " Version: $LATEST");
        long start = System.nanoTime();
        Container.Result result = container.invoke(requestId, payload);
        long nanos = System.nanoTime() - start;
        timings.record("function " + function.name(), nanos);
        long maxMemory = container.maxMemoryUsedMb();
        log(container, "END RequestId: " + requestId);
        log(container, "REPORT RequestId: " + requestId + "\tDuration: " + millis(nanos) + "\tBilled Duration: "
                + (long) Math.ceil(nanos / 1e6) + " ms\tMemory Size: " + function.memoryMb() + " MB"
                + (maxMemory >= 0 ? "\tMax Memory Used: " + maxMemory + " MB" : "")
                + (initNanos != null ? "\tInit Duration: " + millis(initNanos) : ""));
        if (container.alive()) {
            idle.get(function.name()).addFirst(container);
        } else {
            retire(container);
        }
        return result;
    }

    /** The most recently used idle container of the function that is still alive, or null. */
    private Container warm(LocalFunction function) {
        ConcurrentLinkedDeque<Container> containers = idle.computeIfAbsent(function.name(), n -> new ConcurrentLinkedDeque<>());
        for (Container c = containers.pollFirst(); c != null; c = containers.pollFirst()) {
            if (c.alive()) {
                return c;
            }
            retire(c);
        }
        return null;
    }

    private void retire(Container container) {
        all.remove(container);
        container.close();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** Lambda's own lines in a container's log stream (START, END, REPORT), as CloudWatch shows them. */
    private static void log(Container container, String line) {
        try {
            Files.writeString(container.logFile(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // A lost log line must not fail the invocation.
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void stopContainers() {
        List<Thread> stopping = all.stream().map(c -> Thread.ofVirtual().start(() -> c.stop(true))).toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        all.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        stopContainers();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run.
        }
    }
}
