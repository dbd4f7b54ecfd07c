package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path root;

    @Override
    protected ObjectStore store() {
        return new FileObjectStore(root);
    }

    @Test
    void keysArePlainFilesAndCannotEscapeTheRoot() throws Exception {
        store().put("silver/x.parquet", new byte[] {7});
        assertThat(Files.readAllBytes(root.resolve("silver/x.parquet"))).containsExactly(7);
        assertThatThrownBy(() -> store().put("../outside", new byte[] {1})).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aFailedWriteLeavesNoPartBehind() throws Exception {
        // A folder with a file in it where the object would go: the move into place fails.
        store().put("bronze/x/inside", new byte[] {1});
        assertThatThrownBy(() -> store().put("bronze/x", new byte[] {2})).isInstanceOf(StoreException.class)
                .hasMessageContaining("writing bronze/x");
        try (var left = Files.list(root.resolve("bronze"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("x");
        }
        assertThat(store().get("bronze/x/inside").orElseThrow()).containsExactly(1);
    }
}
