package dev.pricelake.local.lambda;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A test-only function table: the handlers of {@code testfunctions}, packaged as a deployment jar of their own (as a
 * function module's shaded jar is), so the local Lambda runs them exactly as it runs the real ones.
 */
final class TestFunctions {
    static final String THROWS_IN_INIT = "test-throws-in-init";
    static final String SLEEPS = "test-sleeps-past-timeout";
    static final String REPORTS = "test-reports";
    static final int SLEEPS_TIMEOUT_SECONDS = 2;
    static final int REPORTS_TIMEOUT_SECONDS = 5;
    static final int REPORTS_MEMORY_MB = 256;

    private TestFunctions() {
    }

    static List<LocalFunction> table(Path dir) throws IOException {
        Path jar = jar(dir);
        String pkg = "dev.pricelake.local.lambda.testfunctions.";
        return List.of(
                new LocalFunction(THROWS_IN_INIT, pkg + "ThrowsInInit", jar, 128, 10, Map.of()),
                new LocalFunction(SLEEPS, pkg + "SleepsPastTimeout", jar, 128, SLEEPS_TIMEOUT_SECONDS, Map.of()),
                new LocalFunction(REPORTS, pkg + "Reports", jar, REPORTS_MEMORY_MB, REPORTS_TIMEOUT_SECONDS,
                        Map.of("GIVEN_SETTING", "given")));
    }

    /** The compiled test functions in one jar. */
    private static Path jar(Path dir) throws IOException {
        Path classes;
        try {
            classes = Path.of(TestFunctions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path jar = dir.resolve("test-functions.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> all = Files.walk(classes.resolve("dev/pricelake/local/lambda/testfunctions"))) {
            for (Path c : all.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                Files.copy(c, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
