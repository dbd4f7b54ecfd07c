package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path folder;

    @Test
    void aWholeWriteReplacesTheFileThroughATemporaryFileInItsFolder() throws IOException {
        Path target = Files.writeString(folder.resolve("state.json"), "old");
        AtomicFiles.write(target, temp -> {
            assertThat(temp.getParent()).isEqualTo(folder);
            assertThat(target).hasContent("old");
            Files.writeString(temp, "new");
        });
        assertThat(target).hasContent("new");
        assertThat(namesIn(folder)).containsExactly("state.json");
    }

    @Test
    void aFailedWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(folder.resolve("state.json"), "old");
        IOException failure = new IOException("disk full");
        assertThatThrownBy(() -> AtomicFiles.write(target, temp -> {
            Files.writeString(temp, "half");
            throw failure;
        })).isSameAs(failure);
        assertThat(target).hasContent("old");
        assertThat(namesIn(folder)).containsExactly("state.json");
    }

    @Test
    void aWriterFailingUncheckedLeavesNoTemporaryFileAndNoFileWhereNoneWas() throws IOException {
        Path target = folder.resolve("state.json");
        IllegalStateException failure = new IllegalStateException("no value");
        assertThatThrownBy(() -> AtomicFiles.write(target, temp -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(namesIn(folder)).isEmpty();
    }

    private static List<String> namesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
