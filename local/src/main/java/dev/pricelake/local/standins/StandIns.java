package dev.pricelake.local.standins;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's files are at run time: {@code pricelake.home} is the repository, set by ./pricelake. */
public final class StandIns {
    public static final String PROPERTY = "pricelake.home";

    private StandIns() {
    }

    /** A file of the repository, such as {@code statemachines/backfill.asl.json}. */
    public static Path home(String relative) {
        String dir = System.getProperty(PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("system property " + PROPERTY
                    + " is not set: run through ./pricelake, which builds the project and points at it");
        }
        // Normalized, so a classpath reads the same from the tests (pricelake.home=local/..) as from ./pricelake, and
        // their JVMs share one class-data archive.
        return Path.of(dir).toAbsolutePath().normalize().resolve(relative);
    }

    /** A stand-in's jars, copied to local/stand-ins/target/stand-ins by the build. */
    public static Path path(String name) {
        Path path = home("local/stand-ins/target/stand-ins").resolve(name);
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: run ./pricelake again to rebuild the stand-ins");
        }
        return path;
    }
}
