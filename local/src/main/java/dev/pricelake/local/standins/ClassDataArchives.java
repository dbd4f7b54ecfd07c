package dev.pricelake.local.standins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Class-data-sharing archives of the child JVMs that every command starts again (stand-ins, function containers):
 * the first JVM of a kind writes one when it stops, the later ones map it. It changes how fast classes load, not
 * which.
 *
 * <p>An archive is named by everything the JVM checks before it maps one: the JVM's own build and each file of the
 * classpath (path, size, modification time). A JVM given an archive that no longer matches runs without it and,
 * even with {@code -XX:+AutoCreateSharedArchive} (JDK 25), writes none in its place after a classpath mismatch: a
 * DynamoDB Local archive made before our helpers jar changed stayed in use, unmapped, and each start took 4.3 CPU s
 * instead of 2.2. Each JVM writes to a file of its own, moved into place whole when it has exited, so two commands
 * starting the same kind at once never write one file together.
 */
public final class ClassDataArchives {
    private final Path dir;
    private final Set<Path> beingWritten = ConcurrentHashMap.newKeySet();

    /** The options that give a JVM its archive, and what it writes when it stops (null when it writes nothing). */
    public record Launch(List<String> options, Path writing, Path archive) {
    }

    public ClassDataArchives(Path dir) {
        this.dir = dir;
    }

    /**
     * The options for a JVM of kind {@code name} whose classes come from {@code files}: map the archive that matches
     * them, or, when there is none, write it at exit (one JVM of this process at a time).
     */
    public Launch launch(String name, List<Path> files) {
        Path archive = archiveOf(name, files);
        if (Files.isRegularFile(archive)) {
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"), null, archive);
        }
        if (!beingWritten.add(archive)) {
            return new Launch(List.of(), null, archive);
        }
        Path writing = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        return new Launch(List.of("-XX:ArchiveClassesAtExit=" + writing, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"), writing, archive);
    }

    /** After the JVM exited: keeps the archive it wrote, if it wrote one whole, and forgets those of older builds. */
    public void exited(Launch launch) {
        if (launch.writing() == null) {
            return;
        }
        try {
            if (Files.isRegularFile(launch.writing()) && Files.size(launch.writing()) > 0) {
                Files.move(launch.writing(), launch.archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                forgetOthers(launch.archive());
            } else {
                Files.deleteIfExists(launch.writing());
            }
        } catch (IOException e) {
            // No archive: the next JVM of the kind starts a little slower and writes one.
        } finally {
            beingWritten.remove(launch.archive());
        }
    }

    /** {@code {dir}/{name}-{digest}.jsa}. */
    Path archiveOf(String name, List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
            digest.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
            for (Path file : files) {
                Path absolute = file.toAbsolutePath();
                digest.update(("\0" + absolute + "\0" + Files.size(absolute) + "\0" + Files.getLastModifiedTime(absolute).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            Files.createDirectories(dir);
            return dir.resolve(name + "-" + HexFormat.of().formatHex(digest.digest(), 0, 8) + ".jsa");
        } catch (IOException e) {
            throw new UncheckedIOException("reading the classpath of " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kind's archives of other builds: no JVM maps them again. */
    private void forgetOthers(Path kept) throws IOException {
        String kind = kept.getFileName().toString().replaceAll("-[0-9a-f]{16}\\.jsa$", "-");
        try (Stream<Path> all = Files.list(dir)) {
            for (Path other : all.filter(p -> {
                String file = p.getFileName().toString();
                return file.startsWith(kind) && file.substring(kind.length()).matches("[0-9a-f]{16}\\.jsa")
                        && !p.equals(kept);
            }).toList()) {
                Files.deleteIfExists(other);
            }
        }
    }
}
