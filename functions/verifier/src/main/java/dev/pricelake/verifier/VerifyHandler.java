package dev.pricelake.verifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.lambda.Metrics;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.adapters.sql.PostgresMinuteBars;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.resampler.ResampleHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verify: {@code {"symbols"?: [...], "sample_size"?: N, "seed"?: S, "as_of"?: D, "minute_retention_days"?: N}} (every
 * bronze symbol by default, day and minute bronze alike: a symbol is checked in each it has files in). Writes the full
 * report as JSON and the coverage picture as HTML under {@code reports/verify/}, logs the counts as metrics, and returns
 * the totals.
 */
public final class VerifyHandler extends JsonHandler {
    static final String REPORTS_PREFIX = "reports/verify/";
    private static final Set<String> FIELDS = Set.of("symbols", "sample_size", "seed", "as_of",
            RetentionWindow.MINUTE_DAYS_FIELD);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private final ObjectStore lake;
    private final LakeVerifier verifier;
    private final Clock clock;

    public VerifyHandler() {
        this(FunctionEnvironment.system());
    }

    private VerifyHandler(FunctionEnvironment env) {
        this(env.lake(), env.hasDatabase() ? Optional.of(env.recentBars()) : Optional.empty(),
                env.hasDatabase() ? Optional.of(new PostgresMinuteBars(env.database())) : Optional.empty(),
                ResampleHandler.intervals(System.getenv("SILVER_INTERVALS")), Clock.systemUTC());
    }

    public VerifyHandler(ObjectStore lake, Optional<RecentBarsStore> recent, Optional<MinuteBarsStore> recentMinutes,
            List<Integer> intervals, Clock clock) {
        this.lake = lake;
        this.verifier = new LakeVerifier(lake, recent, recentMinutes, TradingCalendar.nyse(), intervals);
        this.clock = clock;
    }

    @Override
    protected JsonNode handle(JsonNode event, Context context) {
        Events.rejectUnknownFields(event, FIELDS, "");
        int minuteDays = Events.minuteRetentionDays(event);
        List<Ticker> days = new BronzeLake(lake).symbols();
        SortedMap<Ticker, List<YearMonth>> minuteFiles = new MinuteBronzeLake(lake).files();
        Set<Ticker> chosen = new LinkedHashSet<>(symbols(event, days, minuteFiles.keySet()));
        SortedMap<Ticker, List<YearMonth>> minutes = new TreeMap<>(minuteFiles);
        minutes.keySet().retainAll(chosen);
        Set<Ticker> withDays = new HashSet<>(days);
        LakeVerifier.Report report = verifier.verify(chosen.stream().filter(withDays::contains).toList(), minutes,
                Events.date(event, "as_of"), minuteDays);
        String folder = REPORTS_PREFIX + STAMP.format(clock.instant()) + "/";
        ObjectNode full = VerifyOutput.json(report);
        lake.put(folder + "report.json", full.toPrettyString().getBytes(StandardCharsets.UTF_8));
        lake.put(folder + "coverage.html", VerifyOutput.html(report).getBytes(StandardCharsets.UTF_8));
        Map<String, Long> totals = report.totals();
        if (context != null) {
            Map<String, Long> metrics = new LinkedHashMap<>();
            totals.forEach((name, value) -> metrics.put("Verify" + camel(name), value));
            context.getLogger().log(Metrics.line(metrics, Map.of("report", folder + "report.json"), clock.millis()) + "\n");
        }
        ObjectNode out = Events.object();
        out.put("clean", report.clean());
        out.set("totals", full.get("totals"));
        out.set("notes", full.get("notes"));
        out.put("report_key", folder + "report.json");
        out.put("coverage_key", folder + "coverage.html");
        return out;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        return handle(event, null);
    }

    /** The symbols asked for, or a sample of (or every one of) the symbols with day or minute bronze. */
    private List<Ticker> symbols(JsonNode event, List<Ticker> days, Set<Ticker> minutes) {
        // An empty lake is not an error for the weekly schedule (a stack deployed before its first backfill): the
        // report says so. Symbols asked for by name must be in the lake.
        Set<Ticker> union = new TreeSet<>(days);
        union.addAll(minutes);
        List<Ticker> all = List.copyOf(union);
        if (event.has("symbols")) {
            if (event.has("sample_size")) {
                throw new InvalidInputException("sample_size", "cannot be given with symbols");
            }
            List<Ticker> asked = Events.tickers(event, "symbols");
            List<String> absent = asked.stream().filter(t -> !all.contains(t)).map(Ticker::value).toList();
            if (!absent.isEmpty()) {
                throw new InvalidInputException("symbols", String.join(", ", absent) + (absent.size() == 1 ? " is" : " are")
                        + " not in the lake (no bronze file); the lake has " + all.size() + " symbols");
            }
            return asked;
        }
        if (!event.has("sample_size")) {
            return all;
        }
        int size = Events.integer(event, "sample_size");
        if (size < 1) {
            throw new InvalidInputException("sample_size", "must be at least 1");
        }
        List<Ticker> shuffled = new ArrayList<>(all);
        long seed = event.hasNonNull("seed") ? Events.integer(event, "seed") : clock.millis();
        Collections.shuffle(shuffled, new SplittableRandom(seed));
        return shuffled.subList(0, Math.min(size, shuffled.size())).stream().sorted().toList();
    }

    /** missing_sessions to MissingSessions. */
    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
