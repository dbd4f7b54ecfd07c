package dev.pricelake.local.standins;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs a stand-in's main class and ends the JVM when the parent's end of stdin closes: a parent killed with
 * SIGKILL runs no shutdown hook, and an orphaned DynamoDB Local would keep its database file locked.
 * With {@code -Dpricelake.lock=FILE} it first waits for an exclusive lock on FILE and holds it for its life,
 * so a stand-in started over a killed run's data waits until the orphan of that run has gone.
 * It uses nothing but the JDK, so its class file alone joins the stand-in's classpath.
 */
public final class ParentWatchdog {
    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // The parent never writes; anything read is ignored.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end of input: the parent is gone.
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
        String lock = System.getProperty("pricelake.lock");
        if (lock != null) {
            // Never closed: the lock must last as long as this JVM and is released when it exits.
            java.nio.channels.FileChannel.open(java.nio.file.Path.of(lock), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE).lock();
        }
        runMain(args);
    }

    /** Runs the main method of the class named first, with the arguments after it. */
    static void runMain(String[] args) throws ReflectiveOperationException {
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
