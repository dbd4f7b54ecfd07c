package dev.pricelake.local.lambda;

import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.core.AtomicFiles;
import dev.pricelake.local.standins.ClassDataArchives;
import dev.pricelake.local.standins.StandIns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What AWS's java21 runtime is, locally: a JVM started with the options that runtime uses (a heap of 85 % of the
 * function's memory, serial GC, C1 only) running the runtime interface client, whose jars the build copies to the
 * stand-ins folder. The JVM is this one's (21 or newer; the jars are compiled for 21).
 *
 * <p>Each sandbox in AWS has its own /tmp, where the client unpacks its JNI library at a fixed path; containers
 * here share the machine's, so the library is unpacked once, beforehand, and each container gets a temporary
 * folder of its own.
 *
 * <p>Start-up is the local runner's main cost, so each build of a function jar gets a class-data-sharing archive (see
 * {@link ClassDataArchives}).
 */
final class RuntimeImage {
    static final String MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private final Path jvm;
    private final List<Path> runtimeJars;
    private final String classpath;
    private final ClassDataArchives archives;
    private final Path jni;
    private final List<Path> jdbcDriver;

    /** How one container's JVM is started, and the class-data archive it maps or writes. */
    record Launch(List<String> command, ClassDataArchives.Launch archive) {
    }

    RuntimeImage(Path runtimeJars, Path jdbcDriver, Path work) {
        this.jvm = Path.of(System.getProperty("java.home"), "bin", "java");
        Path client;
        try (Stream<Path> jars = Files.list(runtimeJars)) {
            List<Path> all = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            client = all.stream().filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(runtimeJars + " holds no runtime interface client:"
                            + " run ./pricelake again to rebuild the stand-ins"));
            this.runtimeJars = all;
            this.classpath = all.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + runtimeJars, e);
        }
        this.jdbcDriver = jarsIn(jdbcDriver);
        this.archives = new ClassDataArchives(work.resolve("cds"));
        this.jni = unpackJni(client, work);
    }

    static RuntimeImage installed() {
        return new RuntimeImage(StandIns.path("lambda-runtime"), StandIns.path("jdbc"), StandIns.home("local/target/lambda-runtime"));
    }

    /**
     * Jars the runner adds to a function's task beside its own: the JDBC driver for a function given DB_JDBC_URL,
     * the local stand-in for the Data API its AWS jar uses instead.
     */
    List<Path> taskLibraries(LocalFunction function) {
        return function.environment().containsKey(FunctionEnvironment.JDBC_URL) ? jdbcDriver : List.of();
    }

    private static List<Path> jarsIn(Path folder) {
        try (Stream<Path> jars = Files.list(folder)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + folder + ": run ./pricelake again to rebuild the stand-ins", e);
        }
    }

    /** The client's JNI library for this machine (glibc Linux, x86_64 or arm64), unpacked where every container finds it. */
    private static Path unpackJni(Path client, Path work) {
        String arch = System.getProperty("os.arch");
        String name = "libaws-lambda-jni.linux-" + (arch.equals("aarch64") ? "aarch_64" : "x86_64") + ".so";
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(client.toFile())) {
            var entry = jar.getEntry("jni/" + name);
            if (entry == null || !System.getProperty("os.name").equals("Linux")) {
                throw new IllegalStateException("the Lambda runtime interface client has no JNI library for "
                        + System.getProperty("os.name") + " " + arch + ": the local runner runs functions on Linux only");
            }
            Files.createDirectories(work);
            Path lib = work.resolve(client.getFileName() + "-" + name);
            if (!Files.isRegularFile(lib) || Files.size(lib) != entry.getSize()) {
                AtomicFiles.write(lib, part -> {
                    try (var in = jar.getInputStream(entry)) {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    }
                });
            }
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking the runtime's JNI library from " + client, e);
        }
    }

    /** The command of a container's JVM; {@code tmp} is its own temporary folder, as each sandbox has its own /tmp. */
    Launch launch(LocalFunction function, Path tmp) {
        List<String> command = new ArrayList<>(List.of(jvm.toString(),
                "-XX:MaxHeapSize=" + function.memoryMb() * 1024L * 85 / 100 + "k",
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                // The client loads its JNI library; say so rather than have JDK 22+ warn in every log.
                "--enable-native-access=ALL-UNNAMED",
                "-D" + JNI_PROPERTY + "=" + jni,
                "-Djava.io.tmpdir=" + tmp));
        // One archive per build of a jar, whatever task libraries a function of it adds (functions of one jar share it):
        // their classes come through the runtime's class loader, which the JVM checks class by class.
        List<Path> classes = new ArrayList<>(runtimeJars);
        classes.add(function.code());
        ClassDataArchives.Launch archive = archives.launch(function.code().getFileName().toString(), classes);
        command.addAll(archive.options());
        command.addAll(List.of("-cp", classpath, MAIN, function.handler()));
        return new Launch(command, archive);
    }

    /** After a container's JVM exited: keeps the class-data archive it wrote, if it wrote one. */
    void exited(Launch launch) {
        archives.exited(launch.archive());
    }

    /** The variables Lambda sets in every java21 function's environment (the function's own come on top). */
    static Map<String, String> lambdaEnvironment(LocalFunction function, String region) {
        return Map.ofEntries(
                Map.entry("PATH", "/usr/local/bin:/usr/bin:/bin"),
                Map.entry("LANG", "en_US.UTF-8"),
                Map.entry("TZ", ":UTC"),
                Map.entry("AWS_REGION", region),
                Map.entry("AWS_DEFAULT_REGION", region),
                Map.entry("AWS_EXECUTION_ENV", "AWS_Lambda_java21"),
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", function.name()),
                Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb())),
                Map.entry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
                Map.entry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
                Map.entry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name()),
                Map.entry("AWS_LAMBDA_LOG_STREAM_NAME", "local"),
                Map.entry("_HANDLER", function.handler()));
    }
}
