package dev.pricelake.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files replaced whole: a reader, or another process writing the same file, never sees half of one. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes a whole file to the path it is given. */
    public interface Writing {
        void to(Path file) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary file in its own folder (a move within one file system can be atomic)
     * and moves that over it; on any failure the temporary file is deleted and {@code target} stays as it was.
     */
    public static void write(Path target, Writing writing) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            writing.to(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // A file system that cannot replace a file atomically: moved plainly rather than not at all.
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
