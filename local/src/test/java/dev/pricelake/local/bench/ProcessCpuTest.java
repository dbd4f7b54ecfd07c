package dev.pricelake.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTest {
    @TempDir
    Path folder;

    /**
     * A process this JVM did not start but whose command line names the run's folder, as PostgreSQL's server, which its
     * start script leaves to the system: the shell below exits at once and leaves its busy subshell to the system too
     * (the subshell ends in {@code :} so that it does not become {@code sleep}, whose command line does not name the
     * folder).
     */
    @Test
    void countsWhatAProcessNamingTheFolderSpentSinceTheStart() throws Exception {
        try (ProcessCpu cpu = ProcessCpu.start(folder)) {
            new ProcessBuilder("sh", "-c", "(i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done; touch \"$0/done\"; sleep 30; :) &",
                    folder.toString()).start().waitFor(10, TimeUnit.SECONDS);
            while (!folder.resolve("done").toFile().exists()) {
                Thread.sleep(50);
            }
            ProcessHandle busy = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().filter(c -> c.contains(folder.toString())).isPresent())
                    .findFirst().orElseThrow();
            try {
                assertThat(ProcessHandle.current().descendants()).doesNotContain(busy);
                long spent = busy.info().totalCpuDuration().orElseThrow().toMillis();
                Map<String, Double> seconds = cpu.seconds();
                assertThat(spent).isGreaterThan(200);
                assertThat(seconds.entrySet()).filteredOn(e -> e.getKey().startsWith("other ("))
                        .singleElement().satisfies(e -> assertThat(e.getValue() * 1000).isBetween(spent * 0.9, spent * 1.1 + 100));
            } finally {
                busy.destroy();
            }
        }
    }

    @Test
    void aContainerCountsForItsFunction() {
        FunctionSpec bronze = FunctionCatalog.named("write-bronze");
        assertThat(ProcessCpu.category("/usr/lib/jvm/bin/java", "/usr/lib/jvm/bin/java -XX:+UseSerialGC -cp a.jar"
                + " com.amazonaws.services.lambda.runtime.api.client.AWSLambda " + bronze.handler()))
                .isEqualTo("function " + bronze.functionName());
        assertThat(ProcessCpu.category("/opt/pg/bin/postgres", "postgres: postgres postgres 127.0.0.1(5000) idle"))
                .isEqualTo("PostgreSQL");
    }
}
