package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.silver.SilverRows;
import dev.pricelake.local.Pricelake;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the pricelake command in this JVM, as a user would type it, and reads what it left in the lake. */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err) {
        /** The --json summary: the last line of stdout. */
        JsonNode summary() {
            String[] lines = out.strip().split("\n");
            try {
                return JSON.readTree(lines[lines.length - 1]);
            } catch (IOException e) {
                throw new AssertionError("stdout's last line is not JSON:\n" + out + "\nstderr:\n" + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Pricelake.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static Path bronze(Path dataDir) {
        return dataDir.resolve("s3/pricelake/bronze/raw_ohlcv");
    }

    /** Every bronze file's rows, by symbol, with ingestion times left out: the bars themselves. */
    static Map<Ticker, List<Bar>> bronzeBars(Path dataDir) {
        Map<Ticker, List<Bar>> bars = new TreeMap<>();
        Path root = bronze(dataDir);
        if (!Files.isDirectory(root)) {
            return bars;
        }
        try (Stream<Path> files = Files.list(root)) {
            for (Path dir : files.toList()) {
                Path file = dir.resolve("data.parquet");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Ticker ticker = Ticker.of(dir.getFileName().toString().substring("symbol=".length()));
                bars.put(ticker, BronzeParquet.read(Files.readAllBytes(file), file.toString()).stream()
                        .map(BronzeRow::bar).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bars;
    }

    /** How many symbols have a bronze file, without reading any: safe while a runner is still writing. */
    static long bronzeFileCount(Path dataDir) {
        Path root = bronze(dataDir);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("data.parquet"))).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every silver file's bytes by key. */
    /** A silver file's rows, one line each, so two files that differ say where. */
    static List<String> silverRows(byte[] file, String key) {
        SilverRows rows = SilverParquet.read(file, key);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(rows.symbol(i) + " " + LocalDate.ofEpochDay(rows.startDay(i)) + ".." + LocalDate.ofEpochDay(rows.endDay(i))
                    + " o=" + rows.open(i) + " h=" + rows.high(i) + " l=" + rows.low(i) + " c=" + rows.close(i) + " v="
                    + rows.volume(i) + " n=" + rows.barCount(i) + " complete=" + rows.complete(i));
        }
        return out;
    }

    static Map<String, byte[]> silver(Path dataDir) {
        Map<String, byte[]> files = new TreeMap<>();
        Path root = dataDir.resolve("s3/pricelake/silver");
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".parquet")).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Regular files in the lake bucket (not the stand-ins' own bookkeeping). */
    static List<Path> lakeFiles(Path dataDir) {
        Path bucket = dataDir.resolve("s3/pricelake");
        if (!Files.isDirectory(bucket)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(bucket)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
