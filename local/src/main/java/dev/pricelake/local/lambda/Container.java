package dev.pricelake.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pricelake.local.Folders;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment of a function: a JVM running AWS's runtime interface client (the program AWS's java21
 * runtime runs) with the function's jar as its task, and the Lambda Runtime API that client polls, served here
 * for this container alone. Init happens when the JVM starts; each invocation is handed to the client's pending
 * {@code /next} and ends with its {@code /response} or {@code /error}, the JVM's exit, or the timeout, which kills
 * the JVM: the work stops with it.
 */
final class Container implements AutoCloseable {
    /** Lambda's limit on a synchronous invocation's response. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    private static final String API = "/2018-06-01/runtime/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an invocation (or a failed init) answers: the body, and whether it is a function error. */
    record Result(byte[] body, boolean functionError) {
        /** An error Lambda itself reports (not the function): the body has its errorMessage and errorType. */
        static Result error(String type, String message) {
            ObjectNode body = JSON.createObjectNode();
            body.put("errorMessage", message);
            body.put("errorType", type);
            return new Result(body.toString().getBytes(StandardCharsets.UTF_8), true);
        }
    }

    /** Init ended because the JVM exited without reporting an init error. */
    private static final Result EXITED = new Result(new byte[0], true);

    private record Pending(String requestId, byte[] payload, long deadlineMillis, CompletableFuture<Result> done) {
    }

    private final LocalFunction function;
    private final Path taskRoot;
    private final Path logFile;
    private final HttpServer runtimeApi;
    private final ExecutorService executor;
    private final SynchronousQueue<Pending> next = new SynchronousQueue<>();
    /** Completes with empty when the runtime first asks for work (init done), or with the init error. */
    private final CompletableFuture<Optional<Result>> init = new CompletableFuture<>();
    private volatile Pending current;
    private Process process;

    private Container(LocalFunction function, Path taskRoot, Path logFile, HttpServer runtimeApi, ExecutorService executor) {
        this.function = function;
        this.taskRoot = taskRoot;
        this.logFile = logFile;
        this.runtimeApi = runtimeApi;
        this.executor = executor;
    }

    /** Starts the JVM: its init phase (loading the handler class and running its constructor) begins at once. */
    static Container start(LocalFunction function, RuntimeImage image, Path logFile, Map<String, String> lambdaEnvironment) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            // As Lambda unpacks the deployment package into /var/task: the runtime loads the task's lib/*.jar.
            Path taskRoot = Files.createTempDirectory("pricelake-task");
            Files.createDirectories(taskRoot.resolve("lib"));
            Files.createSymbolicLink(taskRoot.resolve("lib/function.jar"), function.code().toAbsolutePath());
            for (Path library : image.taskLibraries(function)) {
                Files.createSymbolicLink(taskRoot.resolve("lib").resolve(library.getFileName()), library.toAbsolutePath());
            }
            Path tmp = Files.createDirectories(taskRoot.resolve("tmp"));
            RuntimeImage.Launch launch = image.launch(function, tmp);
            Container container = new Container(function, taskRoot, logFile, server, executor);
            server.createContext(API, container::serve);
            server.start();
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(launch.command())
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Map<String, String> env = builder.environment();
            // Nothing of this machine's environment leaks in: a function sees what Lambda would give it.
            env.clear();
            env.putAll(lambdaEnvironment);
            env.putAll(function.environment());
            env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getAddress().getPort());
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            try {
                container.process = builder.start();
            } catch (IOException e) {
                server.stop(0);
                executor.shutdownNow();
                image.exited(launch);
                throw e;
            }
            container.process.onExit().thenRun(() -> {
                container.exited();
                image.exited(launch);
            });
            return container;
        } catch (IOException e) {
            throw new UncheckedIOException("starting a container of " + function.name(), e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits for init to finish: empty once the runtime asks for its first invocation, else the error to answer
     * with (the init error the runtime reported, its exit, or a timeout).
     */
    Optional<Result> awaitInit(String requestId) {
        try {
            Optional<Result> outcome = init.get(function.timeoutSeconds(), TimeUnit.SECONDS);
            return outcome.filter(r -> r == EXITED).isPresent() ? Optional.of(exitError(requestId)) : outcome;
        } catch (TimeoutException e) {
            kill();
            return Optional.of(timedOut(requestId));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return Optional.of(Result.error("Runtime.ExitError", "RequestId: " + requestId + " Error: interrupted"));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs one invocation: the runtime gets it from {@code /next} with its deadline; past it, the JVM is killed. */
    Result invoke(String requestId, byte[] payload) {
        long timeoutMillis = function.timeoutSeconds() * 1000L;
        Pending pending = new Pending(requestId, payload, System.currentTimeMillis() + timeoutMillis, new CompletableFuture<>());
        current = pending;
        try {
            // Handed over once the runtime asks for its next invocation; a JVM that died meanwhile completes it.
            while (!pending.done().isDone() && !next.offer(pending, 100, TimeUnit.MILLISECONDS)) {
                if (System.currentTimeMillis() > pending.deadlineMillis()) {
                    throw new TimeoutException();
                }
            }
            long left = pending.deadlineMillis() - System.currentTimeMillis();
            return pending.done().get(Math.max(0, left), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill();
            return timedOut(requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return exitError(requestId);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            current = null;
        }
    }

    /** What Lambda answers when an invocation outlives the function's timeout. */
    private Result timedOut(String requestId) {
        return Result.error("Sandbox.Timedout", String.format(Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds",
                requestId, (double) function.timeoutSeconds()));
    }

    private Result exitError(String requestId) {
        String status = process.isAlive() ? "signal: killed" : "exit status " + process.exitValue();
        return Result.error("Runtime.ExitError", "RequestId: " + requestId + " Error: Runtime exited with error: " + status);
    }

    private void exited() {
        init.complete(Optional.of(EXITED));
        Pending pending = current;
        if (pending != null) {
            pending.done().complete(exitError(pending.requestId()));
        }
    }

    /** The largest resident size the JVM reached, as Lambda's REPORT line says "Max Memory Used"; -1 if unknown. */
    long maxMemoryUsedMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException unknown) {
            // Not Linux, or the process is gone.
        }
        return -1;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(API.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                init.complete(Optional.empty());
                Pending pending;
                try {
                    pending = next.take();
                } catch (InterruptedException closing) {
                    send(exchange, 500, "{\"errorType\":\"ServiceException\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
                exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", Long.toString(pending.deadlineMillis()));
                exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn", LocalLambda.arn(function.name()));
                send(exchange, 200, pending.payload());
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("POST") && path.equals("init/error")) {
                init.complete(Optional.of(new Result(body, true)));
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Pending pending = current;
            String[] parts = path.split("/");
            if (!method.equals("POST") || parts.length != 3 || !parts[0].equals("invocation")
                    || !(parts[2].equals("response") || parts[2].equals("error"))) {
                send(exchange, 404, "{\"errorType\":\"NotFound\"}".getBytes(StandardCharsets.UTF_8));
            } else if (pending == null || !pending.requestId().equals(parts[1])) {
                send(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}"
                        .getBytes(StandardCharsets.UTF_8));
            } else if (parts[2].equals("error")) {
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                pending.done().complete(new Result(body, true));
            } else if (body.length > MAX_RESPONSE_BYTES) {
                send(exchange, 413, "{\"errorType\":\"RequestEntityTooLarge\"}".getBytes(StandardCharsets.UTF_8));
                pending.done().complete(Result.error("Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes)."));
            } else {
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                pending.done().complete(new Result(body, false));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the JVM: gently when {@code gently} (so it can write its class-data archive on the way out), else at
     * once.
     */
    void stop(boolean gently) {
        if (gently && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        } else {
            kill();
        }
        runtimeApi.stop(0);
        executor.shutdownNow();
        try {
            Folders.delete(taskRoot);
        } catch (UncheckedIOException e) {
            // A temporary folder left behind is harmless.
        }
    }

    @Override
    public void close() {
        stop(false);
    }

    Path logFile() {
        return logFile;
    }
}
