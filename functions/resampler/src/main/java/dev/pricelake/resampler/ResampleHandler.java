package dev.pricelake.resampler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * Resample: {@code {"mode": "incremental"|"full", "run_id"?, "epoch"?, "symbols"?}}. Incremental with a run_id
 * resamples the symbols that run brought into the lake (and those whose history moved under another ticker in it);
 * without either, it checks every bronze file. Within a run it first renews the run's writer lease, so an execution
 * that lost it never rewrites silver.
 */
public final class ResampleHandler extends JsonHandler {
    private static final Set<String> FIELDS = Set.of("mode", "run_id", "epoch", "symbols");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Unreadable files named in the output; the count stays exact beyond it (the output must stay small). */
    static final int UNREADABLE_LISTED = 20;
    private final Resampler resampler;
    private final ProgressStore progress;
    private final WriterLease lease;

    public ResampleHandler() {
        this(FunctionEnvironment.system());
    }

    private ResampleHandler(FunctionEnvironment env) {
        this(env.lake(), env.progress(), intervals(System.getenv("SILVER_INTERVALS")), Clock.systemUTC());
    }

    public ResampleHandler(ObjectStore lake, ProgressStore progress, List<Integer> intervals, Clock clock) {
        // Its own pool, one worker per core: the common pool leaves a core idle (cores - 1 workers).
        this.resampler = new Resampler(lake, TradingCalendar.nyse(), intervals,
                new ForkJoinPool(Runtime.getRuntime().availableProcessors()), clock);
        this.progress = progress;
        this.lease = new WriterLease(progress, clock);
    }

    /** "3,5,8" to [3, 5, 8]; null or blank for the default intervals. */
    public static List<Integer> intervals(String text) {
        if (text == null || text.isBlank()) {
            return Resampler.DEFAULT_INTERVALS;
        }
        try {
            List<Integer> ks = Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).distinct().sorted().toList();
            if (ks.isEmpty() || ks.getFirst() < 2 || ks.getLast() > 252) {
                throw new InvalidInputException("intervals", "'" + text + "': each interval must be 2..252 sessions");
            }
            return ks;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("intervals", "'" + text + "' is not a comma-separated list of whole numbers");
        }
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        return handle(event, null);
    }

    @Override
    protected JsonNode handle(JsonNode event, Context context) {
        Events.rejectUnknownFields(event, FIELDS, "");
        String mode = event.hasNonNull("mode") ? Events.text(event, "mode") : "incremental";
        if (event.hasNonNull("run_id") && event.hasNonNull("epoch")) {
            lease.hold(Events.runId(event), Events.integer(event, "epoch"));
        }
        Resampler.Result r = switch (mode) {
            case "full" -> resampler.full();
            case "incremental" -> resampler.incremental(touched(event));
            default -> throw new InvalidInputException("mode", "'" + mode + "' is neither incremental nor full");
        };
        ObjectNode out = Events.object();
        out.put("mode", r.mode());
        out.put("symbols_read", r.symbolsRead());
        out.put("partitions_written", r.partitionsWritten());
        out.put("partitions_deleted", r.partitionsDeleted());
        out.put("rows_written", r.rowsWritten());
        out.put("last_session", r.lastSession().toString());
        out.put("unreadable_files", r.unreadable().size());
        ArrayNode listed = out.putArray("unreadable");
        r.unreadable().forEach((file, error) -> {
            if (listed.size() < UNREADABLE_LISTED) {
                listed.addObject().put("file", file).put("error", error);
            }
            if (context != null) {
                context.getLogger().log(file + " left out of the resample: " + error + "\n");
            }
        });
        return out;
    }

    private Optional<Collection<Ticker>> touched(JsonNode event) {
        if (event.has("symbols")) {
            return Optional.of(Events.tickers(event, "symbols"));
        }
        if (event.hasNonNull("run_id")) {
            RunId runId = Events.runId(event);
            List<Ticker> touched = new ArrayList<>(progress.tickers(runId).stream()
                    .filter(t -> t.status() == TickerStatus.SUCCEEDED).map(TickerProgress::ticker).toList());
            progress.run(runId).ifPresent(run -> {
                try {
                    JSON.readTree(run.input()).path("retire").fieldNames().forEachRemaining(old -> touched.add(Ticker.of(old)));
                } catch (IOException e) {
                    throw new IllegalStateException("run " + runId + " has an unreadable stored input", e);
                }
            });
            return Optional.of(touched);
        }
        return Optional.empty();
    }
}
