package dev.pricelake.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** Every function's deployment jar, its size printed in the build log, under Lambda's 50 MB for a direct upload. */
class FunctionJarsTest {
    private static final long LIMIT = 50L * 1024 * 1024;

    @Test
    void everyFunctionJarIsUnderFiftyMegabytes() throws Exception {
        Path repository = Path.of("..").toAbsolutePath().normalize();
        for (String module : new TreeSet<>(FunctionCatalog.all().stream().map(FunctionSpec::module).toList())) {
            Path jar = Functions.jar(repository, module);
            long size = Files.size(jar);
            System.out.printf(Locale.ROOT, "function jar %-55s %6.1f MB%n", jar.getFileName(), size / 1048576.0);
            assertThat(size).as(jar.toString()).isLessThan(LIMIT);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                // Lambda's two architectures: ZSTD for the lake's own files, SNAPPY for what other engines write.
                for (String library : List.of("linux/amd64/libzstd-jni", "linux/aarch64/libzstd-jni",
                        "org/xerial/snappy/native/Linux/x86_64/libsnappyjava", "org/xerial/snappy/native/Linux/aarch64/libsnappyjava")) {
                    assertThat(zip.stream().anyMatch(e -> e.getName().startsWith(library))).as(jar + " has " + library).isTrue();
                }
            }
        }
    }
}
