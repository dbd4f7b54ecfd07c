package dev.pricelake.local.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The deployed schedules, run while {@code serve} is up. Each job remembers (in a file under the data dir) the last
 * scheduled time it fired for; when it finds a later one passed (its time came, or came while the machine slept or
 * {@code serve} was down) it fires once, for the latest, never once per missed time. A job seen for the first time
 * starts from now: as in AWS, a new schedule does not fire for times before it existed.
 */
final class LocalSchedule implements AutoCloseable {
    /** One schedule: its name, when it fires, and what it starts, told the scheduled time. */
    record Job(String name, AwsCron when, Consumer<ZonedDateTime> target) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Checked at least this often, so a clock that jumped (a laptop waking) is noticed soon. */
    private static final Duration MAX_SLEEP = Duration.ofSeconds(30);

    private final Clock clock;
    private final Path stateFile;
    private final List<Job> jobs;
    private final PrintWriter log;
    private final Map<String, Instant> lastFired = new LinkedHashMap<>();
    private Thread thread;

    LocalSchedule(Clock clock, Path stateFile, List<Job> jobs, PrintWriter log) {
        this.clock = clock;
        this.stateFile = stateFile;
        this.jobs = List.copyOf(jobs);
        this.log = log;
        if (Files.exists(stateFile)) {
            try {
                JSON.readTree(stateFile.toFile()).properties()
                        .forEach(e -> lastFired.put(e.getKey(), Instant.parse(e.getValue().asText())));
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + stateFile, e);
            }
        }
    }

    /** Fires every job whose time has come since it last fired; answers their names. */
    synchronized List<String> tick() {
        ZonedDateTime now = ZonedDateTime.now(clock);
        List<String> fired = new ArrayList<>();
        for (Job job : jobs) {
            Instant last = lastFired.get(job.name());
            ZonedDateTime latest = job.when().latestAtOrBefore(now);
            if (last == null) {
                lastFired.put(job.name(), now.toInstant());
            } else if (latest.toInstant().isAfter(last)) {
                lastFired.put(job.name(), latest.toInstant());
                save();
                fired.add(job.name());
                log.println("pricelake serve: schedule " + job.name() + " fires for " + latest);
                log.flush();
                try {
                    job.target().accept(latest);
                } catch (RuntimeException e) {
                    log.println("pricelake serve: schedule " + job.name() + " could not start: " + e.getMessage());
                    log.flush();
                }
            }
        }
        save();
        return fired;
    }

    /** When the next job is due. */
    ZonedDateTime next() {
        ZonedDateTime now = ZonedDateTime.now(clock);
        return jobs.stream().map(j -> j.when().nextAfter(now)).min(ZonedDateTime::compareTo).orElseThrow();
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("pricelake-schedule").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                tick();
                Duration wait = Duration.between(clock.instant(), next().toInstant());
                try {
                    Thread.sleep(Math.max(1, Math.min(wait.toMillis(), MAX_SLEEP.toMillis())));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void save() {
        ObjectNode state = JSON.createObjectNode();
        lastFired.forEach((name, at) -> state.put(name, at.toString()));
        try {
            Files.createDirectories(stateFile.getParent());
            AtomicFiles.write(stateFile, temp -> JSON.writeValue(temp.toFile(), state));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + stateFile, e);
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
