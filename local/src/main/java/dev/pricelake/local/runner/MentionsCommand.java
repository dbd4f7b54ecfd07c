package dev.pricelake.local.runner;

import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "mentions", mixinStandardHelpOptions = true, description = "The news mentions table (article_tickers).",
        subcommands = MentionsCommand.Load.class)
public final class MentionsCommand {
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Load (article_id, ticker, published_at) rows from a CSV file with that header into"
                    + " article_tickers; published_at may be empty, a date or an ISO timestamp. Every row is checked"
                    + " before any is loaded; rows already present are left as they are."})
    static final class Load implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.csv")
        Path file;

        @Mixin
        DatabaseOptions database;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<List<?>> rows = parse(file);
            PrintWriter out = spec.commandLine().getOut();
            try (LocalPostgres postgres = database.start()) {
                PostgresRecentBars store = new PostgresRecentBars(new JdbcSql(postgres.dataSource()));
                store.loadMentions(rows);
            }
            out.println("loaded " + rows.size() + " mention rows from " + file);
            out.flush();
            return 0;
        }
    }

    static List<List<?>> parse(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.getFirst().strip().replace(" ", "").equalsIgnoreCase("article_id,ticker,published_at")) {
            throw new InvalidInputException(file.toString(), "line 1 must be the header article_id,ticker,published_at");
        }
        List<List<?>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] cells = line.split(",", -1);
            if (cells.length != 3 || cells[0].isBlank()) {
                throw new InvalidInputException(where, "needs article_id,ticker,published_at, not '" + line + "'");
            }
            Ticker ticker;
            try {
                ticker = Ticker.of(cells[1].strip());
            } catch (InvalidInputException e) {
                throw new InvalidInputException(where, e.problem());
            }
            rows.add(List.of(cells[0].strip(), ticker.value(), published(cells[2].strip(), where)));
        }
        return rows;
    }

    private static Object published(String text, String where) {
        if (text.isEmpty()) {
            return Sql.Null.TIMESTAMP;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneId.of("America/New_York")).toInstant()
                    : text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(where, "published_at '" + text + "' is not a date or an ISO timestamp");
        }
    }
}
