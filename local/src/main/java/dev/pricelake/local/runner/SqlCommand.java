package dev.pricelake.local.runner;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run one query on the local PostgreSQL and print the result as CSV with a header.")
public final class SqlCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "QUERY")
    String query;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (LocalPostgres postgres = database.start();
             Connection c = postgres.dataSource().getConnection();
             Statement s = c.createStatement()) {
            if (!s.execute(query)) {
                out.println("updated " + s.getUpdateCount() + " rows");
                return 0;
            }
            printCsv(s.getResultSet(), out);
        }
        out.flush();
        return 0;
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
