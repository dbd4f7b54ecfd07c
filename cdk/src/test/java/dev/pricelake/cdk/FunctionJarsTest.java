package dev.pricelake.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
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
        }
    }
}
