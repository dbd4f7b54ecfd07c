package dev.pricelake.local.standins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether a process holds the listening socket of a TCP port, from Linux's /proc: the sockets listening on the port
 * (/proc/net/tcp and tcp6) against the process's open files. Where there is no /proc, any listener counts.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    static boolean heldBy(long pid, int port) {
        Path tables = Path.of("/proc/net");
        if (!Files.isReadable(tables.resolve("tcp"))) {
            return true;
        }
        Set<String> sockets = new HashSet<>();
        String local = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("tcp", "tcp6")) {
            try (Stream<String> lines = Files.lines(tables.resolve(table))) {
                lines.skip(1).map(String::strip).map(l -> l.split("\\s+")).filter(f -> f.length > 9)
                        .filter(f -> f[1].endsWith(local) && f[3].equals(LISTEN))
                        .forEach(f -> sockets.add("socket:[" + f[9] + "]"));
            } catch (IOException e) {
                // No tcp6 table: IPv6 is off.
            }
        }
        if (sockets.isEmpty()) {
            return false;
        }
        try (Stream<Path> files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return files.anyMatch(fd -> {
                try {
                    return sockets.contains(Files.readSymbolicLink(fd).toString());
                } catch (IOException closed) {
                    return false;
                }
            });
        } catch (IOException gone) {
            return false;
        }
    }
}
