package dev.pricelake.local.runner;

import dev.pricelake.core.InvalidInputException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run one query on the local PostgreSQL (or --database-url) and print the result as CSV with a header.",
                "Read-only and one statement per call unless --write is given; never applies migrations to a --database-url."})
public final class SqlCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "QUERY")
    String query;

    @Option(names = "--write", description = "Allow statements that change data or schema (and several statements in one"
            + " string).")
    boolean write;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (LocalPostgres postgres = database.start(database.databaseUrl == null);
             Connection c = postgres.dataSource().getConnection()) {
            if (write) {
                try (Statement s = c.createStatement()) {
                    print(s.execute(query), s, out);
                }
            } else {
                if (statements(query) > 1) {
                    throw new InvalidInputException("write", "is needed for several statements in one call; without it,"
                            + " give one statement");
                }
                // A read-only transaction refuses every write, whatever the statement calls to do it.
                c.setAutoCommit(false);
                c.setReadOnly(true);
                try (PreparedStatement s = c.prepareStatement(query)) {
                    print(s.execute(), s, out);
                } catch (SQLException e) {
                    throw refused(e);
                } finally {
                    c.rollback();
                }
            }
        }
        out.flush();
        return 0;
    }

    private static InvalidInputException refused(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (state.equals("25006")) {
            return new InvalidInputException("write", "is needed for a statement that changes data or schema (" + message + ")");
        }
        return new InvalidInputException("query", message);
    }

    /**
     * How many statements the text holds: semicolons outside quotes ('...', "...", $tag$...$tag$) and comments
     * separate them, and a trailing one ends the last.
     */
    static int statements(String sql) {
        int count = 0;
        boolean content = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                i = end < 0 ? sql.length() : end;
                content = true;
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 1;
            } else if (c == '$' && sql.indexOf('$', i + 1) > i) {
                String tag = sql.substring(i, sql.indexOf('$', i + 1) + 1);
                if (tag.matches("\\$[A-Za-z_]*\\$")) {
                    int end = sql.indexOf(tag, i + tag.length());
                    i = end < 0 ? sql.length() : end + tag.length() - 1;
                }
                content = true;
            } else if (c == ';') {
                if (content) {
                    count++;
                }
                content = false;
            } else if (!Character.isWhitespace(c)) {
                content = true;
            }
        }
        return count + (content ? 1 : 0);
    }

    private static void print(boolean hasRows, Statement s, PrintWriter out) throws SQLException {
        if (!hasRows) {
            out.println("updated " + s.getUpdateCount() + " rows");
            return;
        }
        printCsv(s.getResultSet(), out);
    }

    /** The rows as CSV with a header line; null is an empty field. */
    static void printCsv(ResultSet result, PrintWriter out) throws SQLException {
        try (ResultSet rs = result) {
            ResultSetMetaData meta = rs.getMetaData();
            int columns = meta.getColumnCount();
            StringBuilder line = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                line.append(i > 1 ? "," : "").append(csv(meta.getColumnLabel(i)));
            }
            out.println(line);
            while (rs.next()) {
                line.setLength(0);
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    line.append(i > 1 ? "," : "").append(value == null ? "" : csv(value.toString()));
                }
                out.println(line);
            }
        }
    }

    static String csv(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
