package dev.pricelake.local.standins;

import dev.pricelake.core.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Starting, probing and stopping the stand-ins that run as child processes. */
final class ChildProcesses {
    private static ClassDataArchives classDataArchives;
    private static final Map<Process, ClassDataArchives.Launch> archiveWriters = new ConcurrentHashMap<>();

    private ChildProcesses() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A JVM like this one (so a child needs no JDK of its own) running {@code mainClass} under
     * {@link ParentWatchdog}: it stops when we stop, by shutdown hook or, after a SIGKILL, by its closed stdin.
     * Every command starts the stand-ins again, and loading their classes is most of their start: with
     * {@code shareClasses} it maps or writes a class-data-sharing archive (see {@link ClassDataArchives}). The JVM
     * archives nothing while a folder is on the classpath, a jar manifest's {@code Class-Path} included: see
     * {@link #withoutManifestClassPath}.
     */
    static Process startJava(List<String> jvmOptions, String classpath, String mainClass, List<String> args, Path logFile,
            boolean shareClasses) throws IOException {
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 alone and the serial collector: a stand-in mostly lives for one command, and C2's compiles and G1's threads
        // cost more than they win back, over a 10,000-ticker load too (README, Backfill, resume and status).
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        String fullClasspath = helpersJar() + File.pathSeparator + classpath;
        ClassDataArchives.Launch archive = null;
        if (shareClasses) {
            archive = classDataArchives().launch(mainClass, Arrays.stream(fullClasspath.split(File.pathSeparator)).map(Path::of).toList());
            command.addAll(archive.options());
        }
        command.add("-cp");
        command.add(fullClasspath);
        command.add(ParentWatchdog.class.getName());
        command.add(mainClass);
        command.addAll(args);
        // In its log folder, so files a stand-in drops in its working directory stay out of the user's.
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(logFile.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            if (archive != null) {
                classDataArchives().exited(archive);
            }
            throw e;
        }
        if (archive != null && archive.writing() != null) {
            archiveWriters.put(process, archive);
            process.onExit().thenRun(() -> keepArchive(process));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process)));
        return process;
    }

    /** Where the stand-ins' class-data archives are kept, with the helpers' jar. */
    private static Path archives() throws IOException {
        return Files.createDirectories(StandIns.home("local/target/stand-ins-cds"));
    }

    private static synchronized ClassDataArchives classDataArchives() throws IOException {
        if (classDataArchives == null) {
            classDataArchives = new ClassDataArchives(archives());
        }
        return classDataArchives;
    }

    /**
     * Moves the archive an ended child wrote into place: from {@link #stop}, so a command that stops its stand-ins
     * and exits keeps it, or when the child ends by itself. Synchronized: a {@link #stop} that loses the race to the
     * exit callback waits for its move, rather than let the JVM exit before it.
     */
    private static synchronized void keepArchive(Process process) {
        ClassDataArchives.Launch writing = archiveWriters.remove(process);
        if (writing != null) {
            classDataArchives.exited(writing);
        }
    }

    /**
     * The watchdog's class and {@link WalDynamoDbLocal} alone in a jar, so none of our libraries can clash with the
     * stand-in's; a jar on a path that stays the same from one command to the next, as an archive of the classpath needs
     * (it archives no class from a folder). Named by its content, so a changed class gets a new jar.
     */
    private static synchronized Path helpersJar() throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Class<?> helper : List.of(ParentWatchdog.class, WalDynamoDbLocal.class)) {
            String resource = helper.getName().replace('.', '/') + ".class";
            try (InputStream in = ChildProcesses.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is not on the classpath");
                }
                classes.put(resource, in.readAllBytes());
            }
            digest.update(classes.get(resource));
        }
        Path jar = archives().resolve("helpers-" + HexFormat.of().formatHex(digest.digest(), 0, 8) + ".jar");
        return writtenOnce(jar, part -> {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(part))) {
                for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
        });
    }

    /**
     * The file, written first when it is not there yet. Another process may write the same file at the same time: each
     * writes its own part and moves a whole one in place.
     */
    private static Path writtenOnce(Path file, AtomicFiles.Writing writing) throws IOException {
        if (!Files.isRegularFile(file)) {
            AtomicFiles.write(file, writing);
        }
        return file;
    }

    /**
     * A copy of {@code jar} whose manifest names no {@code Class-Path}, kept beside the class-data archives under a
     * name that changes with the jar. DynamoDB Local's manifest puts "." (its own folder, full of jars) and a
     * {@code DynamoDBLocal_lib} folder that its Maven artifact does not have on the classpath; every jar it needs is
     * given on the command line instead, and with no folder left on the classpath its JVM can share classes too.
     */
    static synchronized Path withoutManifestClassPath(Path jar) throws IOException {
        Path copy = archives().resolve(jar.getFileName().toString().replaceAll("\\.jar$", "") + "-" + Files.size(jar) + "-"
                + Files.getLastModifiedTime(jar).toMillis() + "-no-class-path.jar");
        return writtenOnce(copy, part -> {
            try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
                Manifest manifest = in.getManifest();
                manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(part), manifest)) {
                    for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                        out.putNextEntry(new JarEntry(entry.getName()));
                        in.transferTo(out);
                        out.closeEntry();
                    }
                }
            }
        });
    }

    /** Starts the child on the port it is given. */
    interface Launcher {
        Process start(int port) throws IOException;
    }

    /** A child listening on its port. */
    record Listening(Process process, int port) {
    }

    /**
     * Starts a child on a free port and waits until it listens there. Between our finding the port free and the
     * child binding it, another process of the machine may take it (a busy machine runs many servers on ephemeral
     * ports); the child then fails to bind while the port answers, so it is started again on another port.
     */
    static Listening startListening(String what, Path logFile, Duration timeout, Launcher launcher) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process process = launcher.start(port);
            if (awaitOwnPort(process, port, timeout, what, logFile)) {
                return new Listening(process, port);
            }
            if (attempt == 3) {
                throw new IllegalStateException(what + " found each of three free ports taken by another process before it"
                        + " could listen; see " + logFile + "\n" + tail(logFile));
            }
        }
    }

    /** True when the child listens on the port; false when it exited while another process held the port. */
    private static boolean awaitOwnPort(Process process, int port, Duration timeout, String what, Path logFile) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean answers = answers(port);
            if (!process.isAlive()) {
                if (answers) {
                    return false;
                }
                throw new IllegalStateException(what + " exited with code " + process.exitValue()
                        + " before it was ready; see " + logFile + "\n" + tail(logFile));
            }
            if (answers && ListeningSockets.heldBy(process.pid(), port)) {
                return true;
            }
            sleep(100);
        }
        stop(process);
        throw new IllegalStateException(what + " did not answer on port " + port + " within " + timeout.toSeconds()
                + " s; see " + logFile + "\n" + tail(logFile));
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    static void stop(Process process) {
        if (!process.isAlive()) {
            keepArchive(process);
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (!process.isAlive()) {
            keepArchive(process);
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for a stand-in", e));
        }
    }
}
