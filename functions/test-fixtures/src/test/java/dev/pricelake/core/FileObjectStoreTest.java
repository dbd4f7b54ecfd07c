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
}
