package dev.pricelake.local.standins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Class-data-sharing archives of the child JVMs that every command starts again (stand-ins, function containers):
 * the first JVM of a kind writes one when it stops, the later ones map it. It changes how fast classes load, not
 * which.
 *
 * <p>An archive is named by what changes between builds: the JVM (its version and home) and each file of the classpath
 * (path, size, modification time). A JVM given an archive that no longer matches runs without it and, even with
 * {@code -XX:+AutoCreateSharedArchive} (JDK 25), writes none in its place after a classpath mismatch: a DynamoDB
 * Local archive made before our helpers jar changed stayed in use, unmapped, and each start took 4.3 CPU s instead of
 * 2.2. Each JVM writes to a file of its own, moved into place once it has exited and only if the JVM finished it (it
 * writes the header last), so two JVMs starting the same kind at once never write one file together and a dump cut
 * short is never mapped.
 */
public final class ClassDataArchives {
    /** The first bytes of a dynamic archive the JVM finished: its magic number, little-endian. */
    private static final int DYNAMIC_MAGIC = 0xf00baba8;
    private static final AtomicLong WRITERS = new AtomicLong();
    /** A JVM that cannot map its archive, or writes one, says so in the stand-in's or function's log: only noise there. */
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    /** After the kind's prefix: an archive, or a part a process (group 1) was writing. */
    private static final Pattern ARCHIVE_OR_PART = Pattern.compile("[0-9a-f]{16}\\.jsa(?:\\.(\\d+)-\\d+\\.tmp)?");
    private final Path dir;
    private final Set<Path> beingWritten = ConcurrentHashMap.newKeySet();

    /** The options that give a JVM its archive, and what it writes when it stops (null when it writes nothing). */
    public record Launch(List<String> options, Path writing, Path archive) {
    }

    public ClassDataArchives(Path dir) {
        // Absolute: the JVMs run in folders of their own.
        this.dir = dir.toAbsolutePath();
    }

    /**
     * The options for a JVM of kind {@code name} whose classes come from {@code files}: map the archive that matches
     * them, or, when there is none, write it at exit (one JVM of this process at a time).
     */
    public Launch launch(String name, List<Path> files) {
        Path archive = archiveOf(name, files);
        if (Files.isRegularFile(archive)) {
            return new Launch(options("-XX:SharedArchiveFile=" + archive), null, archive);
        }
        if (!beingWritten.add(archive)) {
            return new Launch(List.of(), null, archive);
        }
        Path writing = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + WRITERS.incrementAndGet() + ".tmp");
        return new Launch(options("-XX:ArchiveClassesAtExit=" + writing), writing, archive);
    }

    private static List<String> options(String archiveOption) {
        return Stream.concat(Stream.of(archiveOption), QUIET.stream()).toList();
    }

    /**
     * After the JVM exited (or failed to start): keeps the archive it wrote, if it finished one, and forgets those of
     * other builds.
     */
    public void exited(Launch launch) {
        if (launch.writing() == null) {
            return;
        }
        try {
            if (finished(launch.writing())) {
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

    private static boolean finished(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt() == DYNAMIC_MAGIC;
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

    /**
     * The kind's archives of other builds, which no JVM maps again, and what JVMs of processes that are gone wrote and
     * never had moved (a command killed with SIGKILL: its stand-ins still dump as they end).
     */
    private void forgetOthers(Path kept) throws IOException {
        String kind = kept.getFileName().toString().replaceAll("-[0-9a-f]{16}\\.jsa$", "-");
        try (Stream<Path> all = Files.list(dir)) {
            for (Path other : all.filter(p -> !p.equals(kept) && forgettable(p.getFileName().toString(), kind)).toList()) {
                Files.deleteIfExists(other);
            }
        }
    }

    private static boolean forgettable(String file, String kind) {
        if (!file.startsWith(kind)) {
            return false;
        }
        Matcher name = ARCHIVE_OR_PART.matcher(file.substring(kind.length()));
        return name.matches() && (name.group(1) == null || ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty());
    }
}
