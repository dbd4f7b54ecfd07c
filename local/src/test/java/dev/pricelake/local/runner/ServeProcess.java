package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.local.Pricelake;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code pricelake serve} as a user starts it, in a JVM of its own (so Ctrl-C can be sent to it), and the real AWS CLI
 * pointed at it with credentials of the client's own choosing.
 */
final class ServeProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Not letters and digits only: DynamoDB Local alone would refuse it, so the edge must take any key. */
    static final String ACCESS_KEY = "AKIA-any_key.1";

    private final Process process;
    private final JsonNode endpoints;
    private final Path log;
    private final Path home;

    private ServeProcess(Process process, JsonNode endpoints, Path log, Path home) {
        this.process = process;
        this.endpoints = endpoints;
        this.log = log;
        this.home = home;
    }

    /** With {@code polygon} null, serve starts its own simulator, as for a user without a key. */
    static ServeProcess start(Path dataDir, URI polygon, Path logDir, String... extra) throws Exception {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dpricelake.home=" + System.getProperty("pricelake.home"),
                Pricelake.class.getName(), "serve", "--port", "0", "--data-dir", dataDir.toString(), "--fast-retries"));
        if (polygon != null) {
            command.addAll(List.of("--polygon-url", polygon.toString()));
        }
        command.addAll(List.of(extra));
        Path log = Files.createTempFile(logDir, "serve", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = first.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("serve printed no endpoints; its stderr:\n" + Files.readString(log), e);
        }
        assertThat(line).as(Files.readString(log)).isNotNull();
        return new ServeProcess(process, JSON.readTree(line), log, logDir);
    }

    JsonNode endpoints() {
        return endpoints;
    }

    String url() {
        return endpoints.get("stepfunctions").asText();
    }

    String stderr() throws IOException {
        return Files.readString(log);
    }

    /**
     * Ctrl-C, as a terminal sends it; answers the exit code. A JVM started with SIGINT ignored (a test run from a
     * background job inherits that) cannot be interrupted so; it gets SIGTERM, which serve handles the same way.
     */
    int interrupt() throws Exception {
        String status = Files.readString(Path.of("/proc", Long.toString(process.pid()), "status"));
        long ignored = status.lines().filter(l -> l.startsWith("SigIgn:")).mapToLong(l -> Long.parseLong(l.substring(7).strip(), 16))
                .findFirst().orElse(0);
        boolean intIgnored = (ignored & 2) != 0;
        new ProcessBuilder("kill", intIgnored ? "-TERM" : "-INT", Long.toString(process.pid())).start().waitFor();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("serve stops after Ctrl-C").isTrue();
        return process.exitValue();
    }

    record Aws(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** The real AWS CLI: {@code aws --endpoint-url URL ARGS}, with only the credentials set here. */
    Aws aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", url(), "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", "any-secret");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", home.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-aws-credentials").toString());
        env.remove("AWS_PROFILE");
        Path out = Files.createTempFile(home, "aws", ".out");
        Path err = Files.createTempFile(home, "aws", ".err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("aws " + String.join(" ", args)).isTrue();
        return new Aws(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    Aws awsOk(String... args) throws Exception {
        Aws r = aws(args);
        assertThat(r.exit()).as("aws " + String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    /** Polls DescribeExecution until the execution is no longer RUNNING. */
    JsonNode awaitEnd(String executionArn, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode described = awsOk("stepfunctions", "describe-execution", "--execution-arn", executionArn).json();
            if (!described.get("status").asText().equals("RUNNING")) {
                return described;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still RUNNING after " + timeout + ": " + described + "\n" + stderr());
            }
            Thread.sleep(1_000);
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
