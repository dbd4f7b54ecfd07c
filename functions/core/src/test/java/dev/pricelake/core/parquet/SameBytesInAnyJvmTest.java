package dev.pricelake.core.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.silver.SilverRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lambda runs every container in a JVM of its own: a file must not depend on which one wrote it. */
class SameBytesInAnyJvmTest {
    @TempDir
    Path temp;

    @Test
    void theSameRowsGiveTheSameBytesInAnotherJvm() throws Exception {
        Path other = temp.resolve("other.parquet");
        // Identity hash codes follow what a JVM did before (a container's earlier invocations): each child draws a
        // different number of them first, so an order that follows them shows.
        for (int run = 0; run < 4; run++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SameBytesInAnyJvmTest.class.getName(), other.toString(),
                    Integer.toString(run * 3 + 1))
                    .inheritIO().start();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            assertThat(Files.readAllBytes(other)).isEqualTo(file());
        }
    }

    /** The child: draws {@code args[1]} identity hash codes, then writes the file to {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        for (int i = Integer.parseInt(args[1]); i > 0; i--) {
            System.identityHashCode(new Object());
        }
        Files.write(Path.of(args[0]), file());
    }

    private static byte[] file() {
        SilverRows rows = new SilverRows(64);
        String[] symbols = {"AAPL", "MSFT", "ZZ"};
        for (int i = 0; i < 60; i++) {
            rows.add(symbols[i % 3], 19_000 + i, 19_004 + i, 10 + i, 12 + i, 9 + i, 11 + i, 1_000 * i, 5, i % 2 == 0);
        }
        return SilverParquet.write(rows.sorted(), 0, rows.size(), 5);
    }
}
