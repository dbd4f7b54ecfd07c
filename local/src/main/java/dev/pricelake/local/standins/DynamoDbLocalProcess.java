package dev.pricelake.local.standins;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** DynamoDB Local in a child JVM, its tables persisted in one SQLite file under {@code dataDir}. */
public final class DynamoDbLocalProcess implements AutoCloseable {
    /** The file {@code -sharedDb} keeps every table in. */
    static final String SHARED_DATABASE = "shared-local-instance.db";
    private final Process process;
    private final URI endpoint;

    private DynamoDbLocalProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static DynamoDbLocalProcess start(Path dataDir, Path logFile) {
        try {
            Files.createDirectories(dataDir);
            Path libs = StandIns.path("dynamodb");
            ChildProcesses.Listening listening = ChildProcesses.startListening("DynamoDB Local", logFile, Duration.ofSeconds(60),
                    port -> ChildProcesses.startJava(
                            List.of("-Xmx512m", "-Dsqlite4java.library.path=" + libs.toAbsolutePath(),
                                    "-Dpricelake.lock=" + dataDir.resolve(".lock").toAbsolutePath()),
                            classpath(libs),
                            WalDynamoDbLocal.class.getName(),
                            List.of(dataDir.resolve(SHARED_DATABASE).toAbsolutePath().toString(),
                                    "software.amazon.dynamodb.services.local.main.ServerRunner",
                                    "-sharedDb", "-dbPath", dataDir.toAbsolutePath().toString(), "-port", String.valueOf(port)),
                            logFile, true));
            DynamoDbLocalProcess local = new DynamoDbLocalProcess(listening.process(),
                    URI.create("http://127.0.0.1:" + listening.port()));
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("starting DynamoDB Local in " + dataDir, e);
        }
    }

    /** Every jar of the folder, in a steady order, DynamoDB Local's own without its manifest's folders. */
    private static String classpath(Path libs) throws IOException {
        List<String> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(libs.toAbsolutePath())) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add((jar.getFileName().toString().startsWith("DynamoDBLocal-")
                        ? ChildProcesses.withoutManifestClassPath(jar) : jar).toString());
            }
        }
        return String.join(File.pathSeparator, jars);
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
