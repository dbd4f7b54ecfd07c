package dev.pricelake.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.local.runner.LocalPipeline;
import dev.pricelake.local.runner.StateMachineRunner;
import dev.pricelake.local.Folders;
import dev.pricelake.local.lambda.Timings;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A local end-to-end backfill with no rate limit: the same stand-ins, containers and state machine as ./pricelake
 * backfill, against the simulator, timing each function's invocations and its containers' init phases at the local
 * Lambda's Invoke endpoint, where a caller sees them.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Local end-to-end backfill throughput (bars/s) and where the time goes.")
public final class BackfillBench implements Callable<Integer> {
    @Option(names = "--tickers", defaultValue = "500", description = "Default: ${DEFAULT-VALUE}")
    int tickers;

    @Option(names = "--years", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}")
    int years;

    @Option(names = "--batch-size", description = "Default: the plan's (50 for range calls, 250 for grouped days and flat"
            + " files)")
    Integer batchSize;

    @Option(names = "--max-concurrency", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}")
    int maxConcurrency;

    @Option(names = "--data-dir", description = "Default: a new temporary folder, deleted afterwards.")
    Path dataDir;

    @Option(names = "--universe", description = "A whole universe of the simulated market (cs, etf, all) instead of"
            + " --tickers: with --fetch grouped (or --source flatfiles) and --start/--end, a whole-market load.")
    String universe;

    @Option(names = "--market-tickers", defaultValue = "3000", description = "The simulated market's size with --universe"
            + " (the simulator's default). Default: ${DEFAULT-VALUE}")
    int marketTickers;

    @Option(names = "--fetch", defaultValue = "auto", description = "auto, range or grouped. Default: ${DEFAULT-VALUE}")
    String fetch;

    @Option(names = "--source", defaultValue = "rest", description = "rest, or flatfiles (the simulator's flat files on"
            + " its own URL, split-adjusted with the lake's splits). Default: ${DEFAULT-VALUE}")
    String source;

    @Option(names = "--timespan", defaultValue = "day", description = "day, or minute (--tickers of the simulator's"
            + " minute symbols: the well-known ones, then the largest listings by market cap; with --source flatfiles the"
            + " REST half runs first, for comparison). Default: ${DEFAULT-VALUE}")
    String timespan;

    @Option(names = "--start", description = "Default: --years before --end")
    LocalDate start;

    @Option(names = "--end", description = "Default: 2025-12-31")
    LocalDate end;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        TradingCalendar calendar = TradingCalendar.nyse();
        LocalDate last = LocalDate.of(2025, 12, 31);
        LocalDate to = end != null ? end : last;
        DateRange range = new DateRange(start != null ? start : to.minusYears(years).plusDays(1), to);
        SyntheticMarket market = new SyntheticMarket(42, universe != null ? marketTickers : Math.max(3000, tickers * 2), last,
                calendar);
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("pricelake-bench");
        boolean minutes = Timespan.parse("--timespan", timespan) == Timespan.MINUTE;
        ObjectNode input = Events.object();
        input.put("start", range.start().toString());
        input.put("end", range.end().toString());
        String selected;
        if (universe != null) {
            input.with("selection").put("universe", universe);
            selected = "universe " + universe + " of a " + String.format(Locale.ROOT, "%,d", marketTickers) + "-ticker market";
        } else {
            int first = calendar.sessionIndex(calendar.onOrAfter(range.start()));
            if (minutes) {
                market.tradeEveryMinute(tickers);
            }
            List<String> chosen = market.listings().stream().filter(l -> l.firstSession() <= first && l.active())
                    .filter(l -> !minutes || market.tradesEveryMinute(l)).limit(tickers).map(l -> l.ticker().value()).toList();
            if (chosen.size() < tickers) {
                throw new InvalidInputException("--tickers", tickers + " is more than the " + chosen.size() + " tickers the"
                        + " synthetic market lists through " + range + (minutes ? " with minute bars" : ""));
            }
            chosen.forEach(t -> input.with("selection").withArray("tickers").add(t));
            selected = String.format(Locale.ROOT, "%,d tickers", tickers);
        }
        input.put("fetch", fetch);
        input.put("timespan", timespan);
        if (source.equals("flatfiles")) {
            input.put("flat_files", true);
        } else if (!source.equals("rest")) {
            throw new InvalidInputException("--source", "'" + source + "' is neither rest nor flatfiles");
        }
        if (batchSize != null) {
            input.put("batch_size", batchSize);
        }
        input.put("max_concurrency", maxConcurrency);
        out.printf(Locale.ROOT, "backfill bench: %s, %s (%d sessions), %s bars, source %s, fetch %s, batch %s, concurrency %d,"
                + " JVM %s, %d cores, load average %.1f%n", selected, range, calendar.sessionsBetween(range), timespan, source,
                fetch, batchSize != null ? batchSize : "the plan's default",
                maxConcurrency,
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // A minute bench from the flat files measures the REST half too, in the same JVM against the same simulator.
        List<String> halves = minutes && source.equals("flatfiles") ? List.of("rest", "flatfiles") : List.of(source);
        try (PolygonSimulator simulator = PolygonSimulator.start(market, PolygonSimulator.Options.defaults(), 0)) {
            for (String half : halves) {
                ObjectNode halfInput = input.deepCopy();
                if (half.equals("rest")) {
                    halfInput.remove("flat_files");
                }
                Path halfDir = halves.size() == 1 ? dir : dir.resolve(half);
                if (halves.size() > 1) {
                    out.println("  source " + half + ":");
                }
                run(simulator, halfInput, halfDir, calendar.sessionsBetween(range), out);
            }
        } finally {
            if (dataDir == null) {
                Folders.delete(dir);
            }
        }
        return 0;
    }

    private void run(PolygonSimulator simulator, ObjectNode input, Path dir, int sessions, PrintWriter out) throws Exception {
        Timings timings = new Timings();
        Map<String, Long> before = simulator.requestCounts();
        try (LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Settings(dir, simulator.baseUrl(), null, 0, null)
                .withTimings(timings), new PrintWriter(System.err, true))) {
            AtomicReference<RunId> runId = new AtomicReference<>();
            ProcessCpu cpu = ProcessCpu.start(dir);
            long start = System.nanoTime();
            StateMachineRunner.Outcome outcome;
            Map<String, Double> cpuSeconds;
            try (cpu) {
                outcome = pipeline.execute(input, false, selection -> runId.set(new RunId(selection.path("run_id").asText())));
                cpuSeconds = cpu.seconds();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            if (!outcome.succeeded()) {
                throw new IllegalStateException("the run failed: " + outcome.error() + " " + outcome.cause());
            }
            RunSummary summary = RunSummary.of(runId.get(), pipeline.progress().tickers(runId.get()));
            out.printf(Locale.ROOT, "  %s: %,d bars in %.1f s = %,.0f bars/s, %.2f s per session (%,d tickers succeeded)%n",
                    summary.status(), summary.bars(), wall, summary.bars() / wall, wall / sessions, summary.succeeded());
            Map<String, Long> requests = new java.util.TreeMap<>();
            simulator.requestCounts().forEach((endpoint, n) -> requests.put(endpoint, n - before.getOrDefault(endpoint, 0L)));
            requests.values().removeIf(n -> n == 0);
            out.println("  simulator requests by endpoint: " + requests);
            out.println("  where the time goes (busy time summed over concurrent batches; init = a container's cold start):");
            Map<String, Timings.Total> totals = timings.snapshot();
            totals.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.comparingLong(Timings.Total::nanos).reversed()))
                    .forEach(e -> out.printf(Locale.ROOT, "    %-34s %8.2f s over %,7d calls%n", e.getKey(),
                            e.getValue().nanos() / 1e9, e.getValue().count()));
            // Invocations and the init phases of the containers that served them, as the Invoke endpoint saw them.
            double functions = totals.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("function ") || e.getKey().startsWith("init "))
                    .mapToDouble(e -> e.getValue().nanos() / 1e9).sum();
            out.printf(Locale.ROOT, "  orchestration (wall time not inside a function, at concurrency %d): about %.1f s%n",
                    maxConcurrency, Math.max(0, wall - functions / maxConcurrency));
            double cpuTotal = cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf(Locale.ROOT, "  CPU by process (read from the OS every 0.5 s): %.0f CPU s in %.1f s, %d cores %.0f %% busy%n",
                    cpuTotal, wall, cores, 100 * cpuTotal / (wall * cores));
            cpuSeconds.forEach((category, seconds) -> out.printf(Locale.ROOT, "    %-34s %8.1f s%n", category, seconds));
        }
    }
}
