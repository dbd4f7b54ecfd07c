package dev.pricelake.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import dev.pricelake.catalog.Need;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lambda's init phase as SnapStart runs it when a version is published: each handler of functions.json built by
 * its no-argument constructor in a JVM of its own, with only its deployment jar on the class path and the
 * environment the stack gives it, while no key is set and every endpoint (AWS, the container credentials,
 * Polygon) is a socket that records any connection and hangs up. Init must succeed, connect nowhere (a snapshot
 * would freeze a connection, a credential or a key), and build each client its grants call for exactly once.
 */
class FunctionInitTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    /** Plausible values for what each grant puts in the environment (Need.environment()). */
    private static final Map<String, String> GRANTED = Map.of(
            "PROGRESS_TABLE", "Pricelake-ProgressTable-1ABC",
            "LAKE_BUCKET", "pricelake-storagelake-1abc",
            "POLYGON_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:PolygonKeySecret-AbCdEf",
            "POLYGON_REQUESTS_PER_MINUTE", "5",
            "DB_CLUSTER_ARN", "arn:aws:rds:us-east-1:123456789012:cluster:pricelake-databasecluster-1abc",
            "DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:DatabaseClusterSecret-AbCdEf",
            "DB_NAME", "pricelake",
            "FLATFILES_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:FlatFilesSecret-AbCdEf",
            "FLATFILES_URL", "https://files.massive.com");
    /** The client classes init may build, and the grant that calls for each. */
    private static final Map<String, Need> CLIENTS = Map.of(
            "software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient", Need.PROGRESS,
            "software.amazon.awssdk.services.secretsmanager.DefaultSecretsManagerClient", Need.POLYGON,
            "software.amazon.awssdk.services.rdsdata.DefaultRdsDataClient", Need.DATABASE,
            "jdk.internal.net.http.HttpClientImpl", Need.POLYGON);
    private static final String S3_CLIENT = "software.amazon.awssdk.services.s3.DefaultS3Client";
    private static ServerSocket unreachable;
    private static final AtomicInteger connections = new AtomicInteger();
    @TempDir
    static Path probe;

    /** The probe is compiled once, so each init JVM starts as Lambda's does, with only the jar and a main class. */
    @BeforeAll
    static void compileProbe() {
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21", "-d", probe.toString(),
                Path.of("src/test/resources/InitProbe.java").toString());
        assertThat(status).as("javac InitProbe.java").isZero();
    }

    @BeforeAll
    static void listen() throws IOException {
        unreachable = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!unreachable.isClosed()) {
                try (Socket hangUp = unreachable.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void close() throws IOException {
        unreachable.close();
    }

    static Stream<FunctionSpec> functions() {
        return FunctionCatalog.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void initBuildsTheHandlerWithNoKeyAndNoConnection(FunctionSpec function) throws Exception {
        int before = connections.get();
        String endpoint = "http://127.0.0.1:" + unreachable.getLocalPort();
        // Lambda's java21 runtime starts the JVM with tiered compilation stopped at level 1, as here.
        ProcessBuilder init = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", Functions.jar(REPOSITORY, function.module()) + java.io.File.pathSeparator + probe,
                "InitProbe", function.handler())
                .redirectErrorStream(true);
        Map<String, String> env = init.environment();
        env.clear();
        // What Lambda sets in a SnapStart function's environment: no access keys, container credentials instead.
        env.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_LAMBDA_FUNCTION_NAME", function.functionName(), "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                Integer.toString(function.memoryMb()), "AWS_LAMBDA_FUNCTION_VERSION", "1",
                "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start", "AWS_EXECUTION_ENV", "AWS_Lambda_java21",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint + "/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "token",
                "_HANDLER", function.handler()));
        // Every endpoint unreachable: AWS's (the SDK's own settings), the instance metadata, Polygon's.
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint);
        env.put("POLYGON_BASE_URL", endpoint);
        for (String name : function.environment()) {
            assertThat(GRANTED).as("a value for " + name + " in this test").containsKey(name);
            env.put(name, GRANTED.get(name));
        }
        Process process = init.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("initialized " + function.handler());
        assertThat(connections.get() - before).as("connections made during init").isZero();

        Map<String, Integer> built = new TreeMap<>();
        Map<String, Integer> expected = new TreeMap<>();
        CLIENTS.forEach((client, need) -> {
            built.put(client, instances(output, client));
            expected.put(client, function.needs().contains(need) ? 1 : 0);
        });
        built.put(S3_CLIENT, instances(output, S3_CLIENT));
        expected.put(S3_CLIENT, function.needs().contains(Need.LAKE_READ) || function.needs().contains(Need.LAKE_WRITE) ? 1 : 0);
        assertThat(built).as("clients built in init, once each").isEqualTo(expected);
    }

    /** Live instances of a class in the probe's class histogram ("num: instances bytes class-name (module)"). */
    private static int instances(String histogram, String className) {
        Matcher m = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "(\\s|$)", Pattern.MULTILINE)
                .matcher(histogram);
        List<Integer> counts = new ArrayList<>();
        while (m.find()) {
            counts.add(Integer.parseInt(m.group(1)));
        }
        return counts.stream().mapToInt(Integer::intValue).sum();
    }
}
