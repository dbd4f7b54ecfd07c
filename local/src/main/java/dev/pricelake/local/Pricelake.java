package dev.pricelake.local;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.local.bench.BenchCommand;
import dev.pricelake.local.runner.BackfillCommand;
import dev.pricelake.local.runner.DailyCommand;
import dev.pricelake.local.runner.MentionsCommand;
import dev.pricelake.local.runner.OptionNames;
import dev.pricelake.local.runner.QueryCommand;
import dev.pricelake.local.runner.ResampleCommand;
import dev.pricelake.local.runner.RetentionCommand;
import dev.pricelake.local.runner.SqlCommand;
import dev.pricelake.local.runner.ResumeCommand;
import dev.pricelake.local.runner.RunsCommand;
import dev.pricelake.local.runner.StatusCommand;
import dev.pricelake.local.runner.SymbolsCommand;
import dev.pricelake.local.runner.UniverseCommand;
import dev.pricelake.local.runner.UniversesCommand;
import dev.pricelake.local.runner.VerifyCommand;
import dev.pricelake.local.serve.ServeCommand;
import dev.pricelake.local.simulator.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pricelake} command: what a user types on their own machine. */
@Command(name = "pricelake", mixinStandardHelpOptions = true, version = "pricelake 0.1.0",
        description = "A lake of daily US stock bars, run locally on stand-ins for AWS and Polygon.",
        subcommands = {BackfillCommand.class, DailyCommand.class, ResumeCommand.class, StatusCommand.class, RunsCommand.class, ResampleCommand.class,
                RetentionCommand.class, UniverseCommand.class, SymbolsCommand.class, UniversesCommand.class, VerifyCommand.class,
                SqlCommand.class, QueryCommand.class, MentionsCommand.class, SimulatorCommand.class, ServeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Tests: ./pricelake test   (builds everything and runs every test)"})
public final class Pricelake {
    private Pricelake() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        // The last of a repeated option wins, so a shell alias with defaults can still be overridden.
        return new CommandLine(new Pricelake())
                .setOverwrittenOptionsAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parse) -> {
                    cmd.getErr().println("error: " + (e instanceof InvalidInputException bad ? OptionNames.message(bad) : e.getMessage()));
                    return e instanceof InvalidInputException ? 2 : 1;
                });
    }
}
