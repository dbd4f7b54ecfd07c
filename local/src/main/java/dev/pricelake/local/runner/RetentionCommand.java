package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.PostgresMinuteBars;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.retention.RetentionHandler;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Move the rows older than the retention window from raw_ohlcv to raw_ohlcv_archive, and delete"
                + " the minutes older than the minute window from ohlcv_minute (minute bronze keeps them)."})
public final class RetentionCommand implements Callable<Integer> {
    @Mixin
    WindowOptions windows;

    @Option(names = "--json", description = "Print the result as one JSON object on the last line of stdout.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        var event = Events.object();
        windows.addTo(event);
        try (LocalPostgres postgres = database.start()) {
            JdbcSql sql = new JdbcSql(postgres.dataSource());
            RetentionHandler handler = new RetentionHandler(new PostgresRecentBars(sql), new PostgresMinuteBars(sql));
            JsonNode r = handler.invoke(event);
            PrintWriter screen = json ? spec.commandLine().getErr() : out;
            screen.printf("retention as of %s (cutoff %s): %,d rows moved (%s whole years as partitions, %,d row by row);"
                            + " raw_ohlcv now %,d rows, raw_ohlcv_archive %,d%n", r.get("as_of").asText(),
                    r.get("cutoff").asText(), r.get("rows_moved").asLong(),
                    r.has("years_moved_whole") ? r.get("years_moved_whole").toString() : "no", r.get("rows_moved_one_by_one").asLong(),
                    r.get("recent_rows").asLong(), r.get("archive_rows").asLong());
            screen.printf("minutes before %s (%d days before %s) deleted from ohlcv_minute: %,d; %,d left%n",
                    r.get("minute_cutoff").asText(), r.get(RetentionWindow.MINUTE_DAYS_FIELD).asInt(), r.get("as_of").asText(),
                    r.get("minutes_deleted").asLong(), r.get("minute_rows").asLong());
            screen.flush();
            if (json) {
                out.println(r);
                out.flush();
            }
        }
        return 0;
    }
}
