package dev.pricelake.local.standins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchivesTest {
    @TempDir
    Path temp;
    private Path jar;
    private ClassDataArchives archives;

    @BeforeEach
    void firstBuild() throws IOException {
        jar = temp.resolve("hello.jar");
        buildJar(jar, "first build");
        archives = new ClassDataArchives(temp.resolve("cds"));
    }

    @Test
    void aRebuiltJarGetsAnArchiveOfItsOwnThatTheNextJvmMapsAndTheOldOneIsForgotten() throws Exception {
        ClassDataArchives.Launch writing = archives.launch("hello", List.of(jar));
        assertThat(run(writing)).contains("first build");
        archives.exited(writing);
        ClassDataArchives.Launch mapping = archives.launch("hello", List.of(jar));
        assertThat(mapping.writing()).isNull();
        assertThat(mapping.archive()).isEqualTo(writing.archive()).isRegularFile();
        assertThat(run(mapping)).contains("first build").contains("Hello source: shared objects file (top)");

        // The same path with other classes: the JVM would refuse the first archive and, given it, write none.
        buildJar(jar, "second build");
        ClassDataArchives.Launch rebuilt = archives.launch("hello", List.of(jar));
        assertThat(rebuilt.archive()).isNotEqualTo(mapping.archive());
        assertThat(rebuilt.writing()).isNotNull();
        assertThat(run(rebuilt)).contains("second build");
        archives.exited(rebuilt);
        assertThat(run(archives.launch("hello", List.of(jar))))
                .contains("second build").contains("Hello source: shared objects file (top)");
        try (Stream<Path> files = Files.list(temp.resolve("cds"))) {
            assertThat(files.toList()).containsExactly(rebuilt.archive());
        }
    }

    @Test
    void whileOneJvmWritesTheKindsArchiveAnotherOfThisProcessWritesNoneAndOtherKindsAreKept() throws Exception {
        ClassDataArchives.Launch first = archives.launch("hello", List.of(jar));
        ClassDataArchives.Launch meanwhile = archives.launch("hello", List.of(jar));
        assertThat(meanwhile.options()).isEmpty();
        assertThat(meanwhile.writing()).isNull();

        ClassDataArchives.Launch otherKind = archives.launch("hello-again", List.of(jar));
        run(otherKind);
        archives.exited(otherKind);
        run(first);
        archives.exited(first);
        assertThat(first.archive()).isRegularFile();
        assertThat(otherKind.archive()).isRegularFile();
        // A JVM that wrote nothing (killed at once, say) leaves no file behind and the next one writes again.
        ClassDataArchives fresh = new ClassDataArchives(temp.resolve("cds-2"));
        ClassDataArchives.Launch killed = fresh.launch("hello", List.of(jar));
        fresh.exited(killed);
        assertThat(fresh.launch("hello", List.of(jar)).writing()).isNotNull();
    }

    @Test
    void aDumpCutShortIsNeverMappedAndWhatADeadProcessLeftIsForgotten() throws Exception {
        ClassDataArchives.Launch cut = archives.launch("hello", List.of(jar));
        // The JVM writes the header last: a dump killed part way has its bytes but no magic number.
        Files.write(cut.writing(), new byte[64 * 1024]);
        archives.exited(cut);
        assertThat(cut.archive()).doesNotExist();
        assertThat(cut.writing()).doesNotExist();

        ClassDataArchives.Launch again = archives.launch("hello", List.of(jar));
        assertThat(again.writing()).isNotNull();
        Path leftByTheDead = again.archive().resolveSibling(again.archive().getFileName() + "." + Long.MAX_VALUE + "-1.tmp");
        Path beingWrittenByTheLiving = again.archive().resolveSibling(again.archive().getFileName() + "."
                + ProcessHandle.current().pid() + "-999.tmp");
        Files.write(leftByTheDead, new byte[1]);
        Files.write(beingWrittenByTheLiving, new byte[1]);
        run(again);
        archives.exited(again);
        assertThat(again.archive()).isRegularFile();
        assertThat(leftByTheDead).doesNotExist();
        assertThat(beingWrittenByTheLiving).exists();
    }

    /** A jar whose class Hello prints {@code message}. */
    private void buildJar(Path jar, String message) throws IOException {
        Path sources = Files.createTempDirectory(temp, "src");
        Path source = sources.resolve("Hello.java");
        Files.writeString(source, "public class Hello { public static void main(String[] a) { System.out.println(\""
                + message + "\"); } }");
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", sources.toString(), source.toString()))
                .isZero();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("Hello.class"));
            out.write(Files.readAllBytes(sources.resolve("Hello.class")));
            out.closeEntry();
        }
    }

    /** Runs Hello with the launch's options; the output says where each class came from. */
    private String run(ClassDataArchives.Launch launch) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(launch.options());
        command.addAll(List.of("-Xlog:class+load=info", "-cp", jar.toString(), "Hello"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
