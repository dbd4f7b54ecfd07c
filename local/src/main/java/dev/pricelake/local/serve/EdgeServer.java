package dev.pricelake.local.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * One port for every API, routed by the request as LocalStack's edge does: {@code X-Amz-Target: AWSStepFunctions.*}
 * to the Step Functions API, {@code X-Amz-Target: DynamoDB_20120810.*} to DynamoDB Local, {@code /console} to the web
 * console, anything else to S3 (S3Proxy). Every AWS call needs credentials, any non-empty ones, as AWS emulators take.
 */
final class EdgeServer implements AutoCloseable {
    static final String CONSOLE = "/console";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SFN_TARGET = "AWSStepFunctions.";
    private static final String DYNAMODB_TARGET = "DynamoDB_20120810.";
    /** DynamoDB Local checks only the shape of the access key (letters and digits), not the signature. */
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=[^/]*/");
    /** Headers the HTTP client sets itself, or that belong to one hop. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final HttpServer server;
    /**
     * Platform threads, not virtual ones: console requests call DuckDB and JDBC, native code that pins a virtual
     * thread's carrier, and with one carrier per core two such calls (or the coverage computed beside them) stalled
     * every other request, a static page included, for seconds.
     */
    private final ExecutorService executor = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("edge-", 0).factory());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final StepFunctionsApi stepFunctions;
    private final URI s3;
    private final URI dynamodb;
    private final String dynamodbAccessKey;
    private final HttpHandler console;

    EdgeServer(int port, StepFunctionsApi stepFunctions, URI s3, URI dynamodb, String dynamodbAccessKey,
            HttpHandler console) throws IOException {
        this.stepFunctions = stepFunctions;
        this.s3 = s3;
        this.dynamodb = dynamodb;
        this.dynamodbAccessKey = dynamodbAccessKey;
        this.console = console;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.createContext("/", this::route);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target == null && (path.equals(CONSOLE) || path.startsWith(CONSOLE + "/") || path.equals("/favicon.ico"))) {
                console.handle(exchange);
            } else if (!hasCredentials(exchange)) {
                refuseAnonymous(exchange, target);
            } else if (target != null && target.startsWith(SFN_TARGET)) {
                stepFunctions(exchange, target.substring(SFN_TARGET.length()));
            } else if (target != null && target.startsWith(DYNAMODB_TARGET)) {
                forward(exchange, dynamodb, true);
            } else {
                forward(exchange, s3, false);
            }
        } catch (RuntimeException | IOException e) {
            System.err.println("pricelake serve: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
        }
    }

    private static boolean hasCredentials(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null && CREDENTIAL.matcher(auth).find() && !auth.contains("Credential=/")) {
            return true;
        }
        if (auth != null && auth.startsWith("AWS ") && auth.length() > 4 && auth.indexOf(':') > 4) {
            return true;
        }
        String query = exchange.getRequestURI().getRawQuery();
        return query != null && (query.contains("X-Amz-Credential=") || query.contains("AWSAccessKeyId="));
    }

    private static void refuseAnonymous(HttpExchange exchange, String target) throws IOException {
        String message = "Request is missing Authentication Token: configure any access key and secret"
                + " (aws configure, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)";
        if (target != null) {
            ObjectNode error = JSON.createObjectNode();
            error.put("__type", "MissingAuthenticationTokenException");
            error.put("message", message);
            send(exchange, 400, "application/x-amz-json-1.0", JSON.writeValueAsBytes(error));
        } else {
            send(exchange, 403, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                    + "<Message>" + message + "</Message></Error>").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void stepFunctions(HttpExchange exchange, String operation) throws IOException {
        JsonNode request;
        try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            request = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            sendError(exchange, new ApiError("SerializationException", "the request body is not JSON: " + e.getMessage()));
            return;
        }
        try {
            send(exchange, 200, "application/x-amz-json-1.0", JSON.writeValueAsBytes(stepFunctions.call(operation, request)));
        } catch (ApiError e) {
            sendError(exchange, e);
        }
    }

    private static void sendError(HttpExchange exchange, ApiError e) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", e.type());
        error.put("message", e.getMessage());
        send(exchange, 400, "application/x-amz-json-1.0", JSON.writeValueAsBytes(error));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Passes the request through unchanged (for DynamoDB, with the access key the stand-in accepts). */
    private void forward(HttpExchange exchange, URI to, boolean rewriteCredential) throws IOException {
        URI uri = URI.create(to + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        InputStream in = exchange.getRequestBody();
        HttpRequest.BodyPublisher body = length == null ? HttpRequest.BodyPublishers.ofInputStream(() -> in)
                : Long.parseLong(length) == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in), Long.parseLong(length));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(exchange.getRequestMethod(), body);
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : values) {
                    request.header(name, rewriteCredential && name.equalsIgnoreCase("Authorization")
                            ? CREDENTIAL.matcher(value).replaceFirst("Credential=" + dynamodbAccessKey + "/") : value);
                }
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + to, e);
        }
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_HEADERS.contains(lower) && !lower.equals(":status")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        long contentLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || response.statusCode() == 204
                || response.statusCode() == 304;
        try (InputStream from = response.body()) {
            if (noBody) {
                if (contentLength >= 0) {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(contentLength));
                }
                exchange.sendResponseHeaders(response.statusCode(), -1);
            } else {
                exchange.sendResponseHeaders(response.statusCode(), contentLength == 0 ? -1 : contentLength < 0 ? 0 : contentLength);
                try (OutputStream out = exchange.getResponseBody()) {
                    from.transferTo(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }
}
