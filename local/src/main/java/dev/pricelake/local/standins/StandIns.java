package dev.pricelake.local.standins;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the stand-ins' own jars are: {@code local/target/stand-ins}, copied there by the build. */
public final class StandIns {
    public static final String PROPERTY = "pricelake.standins";

    private StandIns() {
    }

    static Path jar(String name) {
        String dir = System.getProperty(PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("system property " + PROPERTY
                    + " is not set: run through ./pricelake, which builds and points at local/target/stand-ins");
        }
        Path jar = Path.of(dir, name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./pricelake again to rebuild the stand-ins");
        }
        return jar;
    }
}
