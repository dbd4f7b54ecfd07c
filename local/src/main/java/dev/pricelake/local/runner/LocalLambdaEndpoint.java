package dev.pricelake.local.runner;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * Speaks the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) for the Java handlers,
 * so the state machine's Task states call them exactly as in AWS. An uncaught exception is reported as the
 * Java runtime reports it: HTTP 200, {@code X-Amz-Function-Error: Unhandled} and a body whose
 * {@code errorType} is the exception's class name, which the ASL's Retry and Catch match.
 */
public final class LocalLambdaEndpoint implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    private static final String PREFIX = "/2015-03-31/functions/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, RequestStreamHandler> functions;
    private final BiConsumer<String, byte[]> onResult;
    private final java.nio.file.Path logFile;

    private LocalLambdaEndpoint(HttpServer server, ExecutorService executor, Map<String, RequestStreamHandler> functions,
            BiConsumer<String, byte[]> onResult, java.nio.file.Path logFile) {
        this.server = server;
        this.executor = executor;
        this.functions = Map.copyOf(functions);
        this.onResult = onResult;
        this.logFile = logFile;
    }

    /**
     * @param onResult told of every successful invocation: the function name and its output
     * @param logFile  where the functions' own log lines go
     */
    public static LocalLambdaEndpoint start(Map<String, RequestStreamHandler> functions, BiConsumer<String, byte[]> onResult,
            java.nio.file.Path logFile) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        LocalLambdaEndpoint endpoint = new LocalLambdaEndpoint(server, executor, functions, onResult, logFile);
        server.createContext(PREFIX, endpoint::invoke);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    public static String arn(String functionName) {
        return "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + functionName;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void invoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/invocations")) {
                send(exchange, 404, Map.of(), "{\"message\":\"not an Invoke request\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String name = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - "/invocations".length()),
                    StandardCharsets.UTF_8);
            String function = name.substring(name.lastIndexOf(':') + 1);
            RequestStreamHandler handler = functions.get(function);
            if (handler == null) {
                send(exchange, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                        ("{\"Type\":\"User\",\"message\":\"Function not found: " + name + "\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] payload = exchange.getRequestBody().readAllBytes();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(payload), output, new LocalContext(function, logFile));
            } catch (Exception e) {
                send(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled"), runtimeError(e));
                return;
            }
            byte[] result = output.toByteArray();
            onResult.accept(function, result);
            send(exchange, 200, Map.of(), result);
        }
    }

    /** The body the Java Lambda runtime writes for an uncaught exception. */
    static byte[] runtimeError(Throwable e) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("errorMessage", e.getMessage());
        body.put("errorType", e.getClass().getName());
        var trace = body.putArray("stackTrace");
        for (StackTraceElement element : e.getStackTrace()) {
            trace.add(element.toString());
        }
        return JSON.writeValueAsBytes(body);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
