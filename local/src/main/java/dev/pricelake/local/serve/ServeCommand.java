package dev.pricelake.local.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.catalog.ScheduleCatalog;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.local.runner.LocalPipeline;
import dev.pricelake.local.runner.OptionNames;
import dev.pricelake.local.runner.StackOptions;
import dev.pricelake.local.runner.StateMachineRunner;
import dev.pricelake.local.standins.S3ProxyProcess;
import dev.pricelake.local.standins.StandIns;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Keep the local stack up as a small AWS of its own: the Step Functions, S3 and DynamoDB APIs on one"
                + " port for the AWS CLI and SDKs, the daily schedule, and a web console. Ctrl-C stops it.",
                "Prints the endpoints as one JSON line on stdout."})
public final class ServeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The day in an execution name: BASIC_ISO_DATE would add the offset (20240708-0400). */
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    @Option(names = "--port", defaultValue = "4566", description = "The one port every API and the console answer on"
            + " (0: any free port). Default: ${DEFAULT-VALUE}")
    int port;

    @Mixin
    StackOptions stack;

    @Option(names = "--no-schedule", description = "Do not start the daily run (06:00 New York, weekdays), the weekday"
            + " reference refresh or the weekly retention and verify jobs.")
    boolean noSchedule;

    @Option(names = "--clock-start", hidden = true, description = "For tests: serve's clock (the schedules, load jobs)"
            + " starts at this instant, such as 2024-07-08T09:59:55Z, and runs at the real pace.")
    String clockStart;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        requirePortFree(port);
        Instant clockStarts = clockStart == null ? null : instant(clockStart);
        OptionNames.dataDir(stack.dataDir);
        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C (and a plain kill) stop the stack in order here, before the JVM's shutdown hooks run.
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        try (LocalPipeline pipeline = LocalPipeline.start(stack.settings(), err, true)) {
            // A test's clock starts as serve comes up, not before the stand-ins' minute of starting.
            Clock clock = clockStarts == null ? Clock.systemUTC()
                    : Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), clockStarts));
            Executions executions = new Executions(stack.dataDir.resolve("stepfunctions/executions"),
                    (input, name, history, onStart) -> pipeline.execute(input, name, stack.fastRetries, history, onStart),
                    runId -> {
                        if (runId != null) {
                            pipeline.saveInterrupted(new RunId(runId), "interrupted: " + Executions.interruptedCause(runId));
                        }
                    }, clock);
            String definition = StateMachineRunner.substitute(LocalPipeline.definition(), LocalPipeline.substitutions());
            StepFunctionsApi api = new StepFunctionsApi(executions, definition, clock.millis());
            Console console = new Console(pipeline, executions, clock);
            try (executions; EdgeServer edge = new EdgeServer(port, api, pipeline.s3Endpoint(), pipeline.dynamodbEndpoint(),
                    S3ProxyProcess.ACCESS_KEY, console);
                 LocalSchedule schedule = new LocalSchedule(clock, stack.dataDir.resolve("schedule.json"),
                         jobs(pipeline, executions, err), err)) {
                if (!noSchedule) {
                    schedule.start();
                }
                // The lake page's coverage reads every bronze file once; have it ready before a person asks.
                Thread.ofPlatform().daemon().name("console-warm").start(console::warm);
                ObjectNode endpoints = JSON.createObjectNode();
                String url = edge.url().toString();
                endpoints.put("stepfunctions", url);
                endpoints.put("s3", url);
                endpoints.put("dynamodb", url);
                endpoints.put("console", url + EdgeServer.CONSOLE + "/");
                endpoints.put("postgres", pipeline.jdbcUrl());
                endpoints.put("state_machine_arn", StepFunctionsApi.STATE_MACHINE_ARN);
                endpoints.put("data_dir", stack.dataDir.toAbsolutePath().toString());
                out.println(JSON.writeValueAsString(endpoints));
                out.flush();
                err.println(help(url, noSchedule ? null : schedule.next()));
                err.flush();
                stop.await();
                err.println("pricelake serve: stopping (a running execution is saved as interrupted) ...");
                err.flush();
            }
        }
        return 0;
    }

    private static Instant instant(String start) {
        try {
            return Instant.parse(start);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("--clock-start", "'" + start + "' is not an instant such as 2024-07-08T09:59:55Z");
        }
    }

    private static void requirePortFree(int port) {
        if (port < 0 || port > 65_535) {
            throw new InvalidInputException("--port", port + " is not a port (0 to 65535)");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new InvalidInputException("--port", port + " is in use (another serve, or LocalStack?): choose"
                    + " another with --port, or 0 for any free one");
        }
    }

    /** The deployed schedules, with local targets: the daily run as an execution, the jobs as function invocations. */
    private static List<LocalSchedule.Job> jobs(LocalPipeline pipeline, Executions executions, PrintWriter err)
            throws IOException {
        ZoneId zone = ZoneId.of(ScheduleCatalog.TIMEZONE);
        List<LocalSchedule.Job> jobs = new ArrayList<>();
        String daily = event("daily-scheduled.json");
        jobs.add(new LocalSchedule.Job("daily", AwsCron.parse(ScheduleCatalog.DAILY, zone), at -> {
            // Named by its day: a repeated trigger is refused as an existing execution, as the run_id makes it a no-op.
            String name = "scheduled-daily-" + DAY.format(at);
            if (executions.get(name).isEmpty()) {
                executions.start(name, scheduled(daily, at));
            }
        }));
        jobs.add(job(pipeline, "reference", ScheduleCatalog.WEEKDAY_REFERENCE, "pricelake-reference",
                event("reference-scheduled.json"), zone, err));
        jobs.add(job(pipeline, "retention", ScheduleCatalog.WEEKLY_RETENTION, "pricelake-retention", "{}", zone, err));
        jobs.add(job(pipeline, "verify", ScheduleCatalog.WEEKLY_VERIFY, "pricelake-verify", event("verify-weekly.json"),
                zone, err));
        return jobs;
    }

    private static LocalSchedule.Job job(LocalPipeline pipeline, String name, String cron, String function, String input,
            ZoneId zone, PrintWriter err) {
        return new LocalSchedule.Job(name, AwsCron.parse(cron, zone), at -> Thread.ofVirtual().start(() -> {
            try {
                LocalPipeline.Invocation result = pipeline.invoke(function, scheduled(input, at));
                err.println("pricelake serve: " + name + (result.succeeded() ? " done: " : " failed: ") + result.payload());
            } catch (IOException | InterruptedException e) {
                err.println("pricelake serve: " + name + " could not run: " + e.getMessage());
            }
            err.flush();
        }));
    }

    private static String event(String file) throws IOException {
        return Files.readString(StandIns.home("events/" + file)).strip();
    }

    private static String scheduled(String input, ZonedDateTime at) {
        return input.replace(ScheduleCatalog.SCHEDULED_TIME, at.toInstant().toString());
    }

    private static String help(String url, ZonedDateTime nextScheduled) {
        String aws = "  aws --endpoint-url " + url + " ";
        return String.join("\n",
                "",
                "pricelake serve: Step Functions, S3 and DynamoDB on " + url + ", the console at " + url + "/console/",
                "Any non-empty credentials work, for example:",
                "  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1",
                aws + "stepfunctions start-execution --state-machine-arn " + StepFunctionsApi.STATE_MACHINE_ARN
                        + " --input file://events/backfill-start.json",
                aws + "stepfunctions list-executions --state-machine-arn " + StepFunctionsApi.STATE_MACHINE_ARN,
                aws + "stepfunctions describe-execution --execution-arn " + StepFunctionsApi.executionArn("NAME"),
                aws + "s3 ls s3://" + LocalPipeline.BUCKET + "/bronze/raw_ohlcv/",
                aws + "dynamodb query --table-name " + LocalPipeline.TABLE + " --key-condition-expression 'run_id = :r'"
                        + " --expression-attribute-values '{\":r\": {\"S\": \"RUN_ID\"}}'",
                nextScheduled == null ? "Schedule: off (--no-schedule)"
                        : "Schedule: the daily run at 06:00 New York on weekdays; next job at " + nextScheduled,
                "Ctrl-C stops everything; a running execution is saved as interrupted and resumes by its run_id.");
    }
}
