package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.resampler.ResampleHandler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resample", mixinStandardHelpOptions = true,
        description = {"Resample bronze into 3/5/8/13/21/34-session silver bars (the Resample step, run directly).",
                "Incremental by default: only the partitions whose bronze changed since the last checkpoints."})
public final class ResampleCommand implements Callable<Integer> {
    @Option(names = "--full", description = "Rebuild every partition from bronze.")
    boolean full;

    @Option(names = "--intervals", description = "Comma-separated k values. Default: 3,5,8,13,21,34")
    String intervals;

    @Option(names = "--data-dir", defaultValue = ".pricelake", description = "Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--json", description = "Print the result as one JSON object on the last line of stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Straight from the lake's folder, not through S3Proxy: no emulator to start, and disk speed (see README).
        ResampleHandler handler = new ResampleHandler(LocalPipeline.localLake(dataDir), null,
                ResampleHandler.intervals(intervals), Clock.systemUTC());
        ObjectNode event = Events.object();
        event.put("mode", full ? "full" : "incremental");
        long start = System.nanoTime();
        JsonNode r = handler.invoke(event);
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter screen = json ? spec.commandLine().getErr() : out;
        screen.printf(Locale.ROOT, "%s resample in %.1f s: %,d symbols read, %,d partitions written, %,d deleted,"
                        + " %,d rows; the lake's last session is %s%n", r.get("mode").asText(), seconds,
                r.get("symbols_read").asLong(), r.get("partitions_written").asLong(),
                r.get("partitions_deleted").asLong(), r.get("rows_written").asLong(), r.get("last_session").asText());
        if (r.get("unreadable_files").asInt() > 0) {
            screen.printf(Locale.ROOT, "%,d bronze files could not be used and were left out (their silver rows are as"
                    + " the last good read left them):%n", r.get("unreadable_files").asInt());
            r.get("unreadable").forEach(f -> screen.println("  " + f.get("file").asText() + ": " + f.get("error").asText()));
        }
        Path silver = LocalPipeline.bucketDir(dataDir).resolve("silver");
        screen.println("silver: " + silver + "/silver_{k}d/year=YYYY/month=MM/data_{k}d_YYYYMM.parquet");
        screen.println("query:  " + QueryCommand.hint(dataDir,
                "SELECT * FROM silver_5d WHERE symbol = 'AAPL' ORDER BY start_date DESC LIMIT 10"));
        screen.flush();
        if (json) {
            out.println(r);
            out.flush();
        }
        return 0;
    }
}
