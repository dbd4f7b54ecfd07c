package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.PostgresMinuteBars;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.resampler.ResampleHandler;
import dev.pricelake.verifier.VerifyHandler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check the lake per symbol: sessions missing between its first and last bar (not the known"
                + " halts: sessions the source had no bar for), invalid bars, duplicate dates, splits the bars are not"
                + " adjusted for, PostgreSQL rows that differ from bronze inside the retention window, silver rows that"
                + " differ from bronze; and warn of close moves over 50 % with no split that day and tenfold volume jumps.",
                "Minute bronze, where the lake has it: regular-hours minutes missing in the months a symbol trades every"
                + " minute (as ranges), invalid, duplicate and misplaced minutes, and ohlcv_minute rows that differ from"
                + " bronze inside the minute window.",
                "Writes report.json and coverage.html (symbols x months) under {data-dir}/s3/pricelake/reports/verify/.",
                "Exit code: 0 clean, 1 defects found, 2 bad input."})
public final class VerifyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHECKS = List.of("unreadable", "missing_sessions", "invalid_bars",
            "duplicate_dates", "splits_not_applied", "postgres_diffs", "silver_diffs");
    private static final List<String> WARNINGS = List.of("large_moves", "volume_jumps");
    private static final List<String> MINUTE_CHECKS = List.of("unreadable", "gaps", "invalid_minutes", "duplicate_minutes",
            "misplaced_minutes", "postgres_diffs");

    static final class Which {
        @Option(names = "--symbols", split = ",", description = "These symbols.")
        List<String> symbols;

        @Option(names = "--sample-size", description = "A random sample of N bronze symbols.")
        Integer sampleSize;
    }

    @ArgGroup(exclusive = true)
    Which which;

    @Mixin
    WindowOptions windows;

    @Option(names = "--json", description = "Print the full report as one JSON object on the last line of stdout.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter screen = json ? spec.commandLine().getErr() : out;
        ObjectNode event = Events.object();
        if (which != null && which.symbols != null) {
            ArrayNode list = event.putArray("symbols");
            which.symbols.forEach(s -> list.add(s.strip()));
        } else if (which != null) {
            event.put("sample_size", which.sampleSize);
        }
        windows.addTo(event);
        if (!LocalPipeline.hasLake(database.dataDir)) {
            throw new InvalidInputException("data_dir", database.dataDir + " has no lake: no bronze file under "
                    + LocalPipeline.bucketDir(database.dataDir).resolve("bronze") + "; run a backfill first");
        }
        // Verify only reads the lake (and writes its report): straight from the folder, as resample does, at the disk's
        // speed rather than through S3Proxy.
        FileObjectStore lake = LocalPipeline.localLake(database.dataDir);
        try (LocalPostgres postgres = database.start()) {
            JdbcSql sql = new JdbcSql(postgres.dataSource());
            VerifyHandler handler = new VerifyHandler(lake, Optional.of(new PostgresRecentBars(sql)),
                    Optional.of(new PostgresMinuteBars(sql)), ResampleHandler.intervals(null), Clock.systemUTC());
            JsonNode result = handler.invoke(event);
            JsonNode report = JSON.readTree(lake.get(result.get("report_key").asText()).orElseThrow());
            // A lake of minutes only has no day table to show; a lake without minutes shows what it always did.
            if (!report.get("symbols").isEmpty() || !report.has("minutes")) {
                days(screen, report);
            }
            if (report.has("minutes")) {
                minutes(screen, report);
            }
            report.get("notes").forEach(n -> screen.println("note: " + n.asText()));
            Path bucket = LocalPipeline.bucketDir(database.dataDir);
            screen.println("report:   " + bucket.resolve(result.get("report_key").asText()));
            screen.println("coverage: " + bucket.resolve(result.get("coverage_key").asText()) + "  (open in a browser)");
            screen.flush();
            if (json) {
                out.println(JSON.writeValueAsString(report));
                out.flush();
            }
            return report.get("clean").asBoolean() ? 0 : 1;
        }
    }

    private static void days(PrintWriter screen, JsonNode report) {
        screen.printf(Locale.ROOT, "%-8s %7s %-10s %-10s %8s %6s %8s %6s %7s %9s %7s %8s%n", "symbol", "bars", "first",
                    "last", "missing", "halts", "invalid", "dupes", "splits", "postgres", "silver", "warnings");
            for (JsonNode s : report.get("symbols")) {
                screen.printf(Locale.ROOT, "%-8s %,7d %-10s %-10s %,8d %,6d %,8d %,6d %,7d %,9d %,7d %,8d%s%n", s.get("symbol").asText(),
                        s.get("bars").asLong(), s.path("first").asText("-"), s.path("last").asText("-"),
                        s.at("/missing_sessions/count").asLong(), s.path("known_halts").asLong(), s.at("/invalid_bars/count").asLong(),
                        s.at("/duplicate_dates/count").asLong(), s.at("/splits_not_applied/count").asLong(),
                        s.at("/postgres_diffs/count").asLong(), s.at("/silver_diffs/count").asLong(), s.path("warnings").asLong(),
                        s.get("defects").asLong() > 0 ? "  <- " + firstFinding(s, CHECKS)
                                : s.path("warnings").asLong() > 0 ? "  (" + firstFinding(s, WARNINGS) + ")" : "");
            }
            JsonNode totals = report.get("totals");
            screen.printf(Locale.ROOT, "%n%s: %,d symbols checked, %,d with defects (%s)%n",
                    totals.get("symbols_with_defects").asLong() == 0 ? "clean" : "DEFECTS", totals.get("symbols").asLong(),
                    totals.get("symbols_with_defects").asLong(), String.join(", ", CHECKS.stream()
                            .map(c -> totals.get(c).asLong() + " " + c.replace('_', ' ')).toList()));
            screen.printf(Locale.ROOT, "known halts (sessions the source had no bar for, not gaps): %,d; warnings: %s%n",
                    totals.get("known_halts").asLong(), String.join(", ", WARNINGS.stream()
                            .map(c -> totals.get(c).asLong() + " " + c.replace('_', ' ')).toList()));
    }

    private static void minutes(PrintWriter screen, JsonNode report) {
        JsonNode minutes = report.get("minutes");
        screen.printf(Locale.ROOT, "%nminute bronze (times in New York; %s)%n", minutes.has("postgres_from")
                ? "ohlcv_minute checked from " + minutes.get("postgres_from").asText() + ", --minute-retention-days "
                        + minutes.get(RetentionWindow.MINUTE_DAYS_FIELD).asInt() + " before --as-of"
                : "no PostgreSQL checked");
        screen.printf(Locale.ROOT, "%-8s %5s %10s %-16s %-16s %9s %6s %8s %8s %6s %9s %9s%n", "symbol", "files", "minutes", "first",
                "last", "every-min", "gaps", "missing", "invalid", "dupes", "misplaced", "postgres");
        for (JsonNode s : minutes.get("symbols")) {
            screen.printf(Locale.ROOT, "%-8s %,5d %,10d %-16s %-16s %9s %,6d %,8d %,8d %,6d %,9d %,9d%s%n", s.get("symbol").asText(),
                    s.get("files").asLong(), s.get("minutes").asLong(), s.path("first").asText("-"), s.path("last").asText("-"),
                    s.get("every_minute_months").asInt() + "/" + s.get("files").asInt(), s.at("/gaps/count").asLong(),
                    s.get("missing_minutes").asLong(), s.at("/invalid_minutes/count").asLong(),
                    s.at("/duplicate_minutes/count").asLong(), s.at("/misplaced_minutes/count").asLong(),
                    s.at("/postgres_diffs/count").asLong(),
                    s.get("defects").asLong() > 0 ? "  <- " + firstFinding(s, MINUTE_CHECKS) : "");
        }
        JsonNode totals = report.get("totals");
        screen.printf(Locale.ROOT, "%nminutes %s: %,d symbols checked, %,d with defects (%,d unreadable, %,d gaps (%,d minutes"
                        + " missing), %,d invalid minutes, %,d duplicate minutes, %,d misplaced minutes, %,d postgres diffs)%n",
                totals.get("minute_symbols_with_defects").asLong() == 0 ? "clean" : "DEFECTS", totals.get("minute_symbols").asLong(),
                totals.get("minute_symbols_with_defects").asLong(), totals.get("minute_unreadable").asLong(),
                totals.get("minute_gaps").asLong(), totals.get("missing_minutes").asLong(), totals.get("invalid_minutes").asLong(),
                totals.get("duplicate_minutes").asLong(), totals.get("misplaced_minutes").asLong(),
                totals.get("minute_postgres_diffs").asLong());
    }

    private static String firstFinding(JsonNode symbol, List<String> checks) {
        for (String check : checks) {
            JsonNode examples = symbol.at("/" + check + "/examples");
            if (examples.size() > 0) {
                return check.replace('_', ' ') + ": " + examples.get(0).asText();
            }
        }
        return "";
    }
}
