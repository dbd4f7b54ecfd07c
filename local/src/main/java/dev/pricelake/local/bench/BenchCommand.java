package dev.pricelake.local.bench;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print their figures.",
        subcommands = {BronzeBench.class, BackfillBench.class, MarketBench.class, ResampleBench.class, PostgresBench.class,
                UniversesBench.class, ConsoleBench.class, VerifyBench.class})
public final class BenchCommand {
}
