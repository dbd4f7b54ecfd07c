package dev.pricelake.local.bench;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Where a local run's CPU goes, by process: the functions' containers, the stand-ins and PostgreSQL are processes of
 * their own, so this JVM's CPU time says little. Every half second it reads the CPU time the OS has counted for this
 * JVM, its descendants, and the processes whose command line names the run's folder (PostgreSQL's server, which its
 * start script leaves to the system) with their descendants; a process that ends between two readings loses what it
 * spent since the last one.
 */
final class ProcessCpu implements AutoCloseable {
    private static final long PERIOD_MILLIS = 500;
    private final String folder;
    private final Map<Long, Spent> spent = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-cpu");
        t.setDaemon(true);
        return t;
    });

    /** A process's category and its CPU time when first and last read. */
    private record Spent(String category, Duration first, Duration last) {
    }

    private ProcessCpu(Path folder) {
        this.folder = folder.toAbsolutePath().toString();
    }

    /** Starts reading; a process already running counts only what it spends from now on. */
    static ProcessCpu start(Path folder) {
        ProcessCpu cpu = new ProcessCpu(folder);
        cpu.read(true);
        cpu.timer.scheduleAtFixedRate(() -> cpu.read(false), PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return cpu;
    }

    /** One pass over the process table: each process's information and parent are read once a tick. */
    private void read(boolean baseline) {
        long self = ProcessHandle.current().pid();
        Map<Long, ProcessHandle.Info> infos = new HashMap<>();
        Map<Long, Long> parents = new HashMap<>();
        ProcessHandle.allProcesses().forEach(p -> {
            infos.put(p.pid(), p.info());
            p.parent().ifPresent(parent -> parents.put(p.pid(), parent.pid()));
        });
        Map<Long, Boolean> counted = new HashMap<>();
        infos.forEach((pid, info) -> {
            Optional<Duration> cpu = info.totalCpuDuration();
            if (cpu.isEmpty() || !counted(pid, self, infos, parents, counted)) {
                return;
            }
            spent.compute(pid, (key, before) -> before == null
                    ? new Spent(pid == self ? "this JVM (simulator, runner)" : category(info.command().orElse(""),
                            info.commandLine().orElse("")), baseline ? cpu.get() : Duration.ZERO, cpu.get())
                    : new Spent(before.category(), before.first(), cpu.get()));
        });
    }

    /** This JVM, a process whose command line names the folder, or a descendant of either. */
    private boolean counted(long pid, long self, Map<Long, ProcessHandle.Info> infos, Map<Long, Long> parents,
            Map<Long, Boolean> known) {
        Boolean answer = known.get(pid);
        if (answer == null) {
            ProcessHandle.Info info = infos.get(pid);
            Long parent = parents.get(pid);
            answer = pid == self || (info != null && info.commandLine().filter(c -> c.contains(folder)).isPresent())
                    || (parent != null && parent != pid && counted(parent, self, infos, parents, known));
            known.put(pid, answer);
        }
        return answer;
    }

    /** The process's part in a local run, from its executable and command line. */
    static String category(String executable, String commandLine) {
        for (FunctionSpec function : FunctionCatalog.all()) {
            if (commandLine.endsWith(" " + function.handler())) {
                return "function " + function.functionName();
            }
        }
        if (commandLine.contains("org.gaul.s3proxy")) {
            return "S3Proxy";
        }
        if (commandLine.contains("DynamoDbLocal") || commandLine.contains("DynamoDBLocal")) {
            return "DynamoDB Local";
        }
        String name = Path.of(executable.isEmpty() ? "?" : executable).getFileName().toString();
        return switch (name) {
            case "postgres" -> "PostgreSQL";
            case "node" -> "state machine runner (Node)";
            default -> "other (" + name + ")";
        };
    }

    /** CPU seconds by category, largest first, since {@link #start}. */
    Map<String, Double> seconds() {
        read(false);
        return spent.values().stream().collect(Collectors.groupingBy(Spent::category,
                        Collectors.summingDouble(s -> s.last().minus(s.first()).toNanos() / 1e9)))
                .entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
