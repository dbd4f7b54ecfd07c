package dev.pricelake.local.standins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * S3Proxy serving a folder as S3, in a child JVM: it brings its own Jetty, which would clash with ours.
 * Objects are plain files: key {@code a/b.parquet} of bucket {@code B} is {@code {root}/B/a/b.parquet}.
 */
public final class S3ProxyProcess implements AutoCloseable {
    // Letters and digits only: the functions send the same credentials to DynamoDB Local, which refuses others.
    public static final String ACCESS_KEY = "pricelakelocal";
    public static final String SECRET_KEY = "pricelakelocalsecret";

    private final Process process;
    private final URI endpoint;

    private S3ProxyProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts S3Proxy over {@code root} with the buckets created as folders, and waits until it answers. */
    public static S3ProxyProcess start(Path root, Path logFile, List<String> buckets) {
        return start(root, logFile, buckets, false);
    }

    /**
     * As {@link #start(Path, Path, List)}; with {@code anyCredentials} it accepts any signature, as local AWS
     * emulators do, so clients configured with their own keys (the AWS CLI behind {@code serve}) reach it.
     */
    public static S3ProxyProcess start(Path root, Path logFile, List<String> buckets, boolean anyCredentials) {
        try {
            for (String bucket : buckets) {
                Files.createDirectories(root.resolve(bucket));
            }
            Path properties = Files.createTempFile("s3proxy", ".properties");
            ChildProcesses.Listening listening = ChildProcesses.startListening("S3Proxy", logFile, Duration.ofSeconds(60), port -> {
                Files.writeString(properties, String.join("\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=" + (anyCredentials ? "none" : "aws-v2-or-v4"),
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem-nio2",
                        "jclouds.filesystem.basedir=" + root.toAbsolutePath()) + "\n");
                return ChildProcesses.startJava(List.of("-Xmx512m",
                                "-Dpricelake.lock=" + root.resolve(".lock").toAbsolutePath()), StandIns.path("s3proxy.jar").toString(),
                        "org.gaul.s3proxy.Main", List.of("--properties", properties.toString()), logFile, true);
            });
            S3ProxyProcess proxy = new S3ProxyProcess(listening.process(), URI.create("http://127.0.0.1:" + listening.port()));
            Files.deleteIfExists(properties);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("starting S3Proxy over " + root, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
