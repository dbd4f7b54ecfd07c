package dev.pricelake.local.runner;

import dev.pricelake.local.standins.StandIns;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * DuckDB over the local lake's files, with the table names Athena has in AWS ({@code bronze}, {@code silver_5d},
 * ...). DuckDB's JDBC driver (80 MB, natives for every platform) is loaded from the stand-ins folder in a class
 * loader of its own rather than shaded into the command's jar.
 */
public final class LocalDuckDb implements AutoCloseable {
    private static final Pattern INTERVAL_DIR = Pattern.compile("silver_\\d+d");
    private final URLClassLoader loader;
    private final Connection connection;
    private final List<String> views;

    private LocalDuckDb(URLClassLoader loader, Connection connection, List<String> views) {
        this.loader = loader;
        this.connection = connection;
        this.views = views;
    }

    /** An in-memory DuckDB; with {@code lake} (a bucket folder), a view per table of the lake that has files. */
    public static LocalDuckDb open(Path lake) throws SQLException, IOException {
        URLClassLoader loader = new URLClassLoader(new java.net.URL[] {StandIns.path("duckdb_jdbc.jar").toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        Connection connection = null;
        try {
            Driver driver = (Driver) loader.loadClass("org.duckdb.DuckDBDriver").getDeclaredConstructor().newInstance();
            connection = driver.connect("jdbc:duckdb:", new Properties());
            List<String> views = lake == null ? List.of() : registerViews(connection, lake);
            return new LocalDuckDb(loader, connection, views);
        } catch (ReflectiveOperationException e) {
            loader.close();
            throw new IllegalStateException("cannot load DuckDB's JDBC driver from " + StandIns.path("duckdb_jdbc.jar"), e);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            loader.close();
            throw e;
        }
    }

    public Connection connection() {
        return connection;
    }

    /** The views registered, in order. */
    public List<String> views() {
        return views;
    }

    private static List<String> registerViews(Connection connection, Path lake) throws SQLException, IOException {
        List<String> views = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            Path bronze = lake.resolve("bronze/raw_ohlcv");
            if (hasParquet(bronze)) {
                // The symbol comes from the files, as it does in Athena's table from the partition with the same value.
                s.execute("CREATE VIEW bronze AS SELECT * FROM read_parquet(" + literal(bronze + "/symbol=*/data.parquet")
                        + ", hive_partitioning = false, union_by_name = true)");
                views.add("bronze");
            }
            Path minutes = lake.resolve("bronze/raw_ohlcv_1m");
            if (hasParquet(minutes)) {
                // year and month from the partition folders, as in the silver views (and Athena's projections).
                s.execute("CREATE VIEW bronze_1m AS SELECT * FROM read_parquet("
                        + literal(minutes + "/symbol=*/year=*/month=*/data.parquet")
                        + ", hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER})");
                views.add("bronze_1m");
            }
            Path silver = lake.resolve("silver");
            List<Path> intervals = new ArrayList<>();
            if (Files.isDirectory(silver)) {
                try (Stream<Path> dirs = Files.list(silver)) {
                    dirs.filter(d -> INTERVAL_DIR.matcher(d.getFileName().toString()).matches()).forEach(intervals::add);
                }
            }
            intervals.sort((a, b) -> Integer.compare(days(a), days(b)));
            for (Path interval : intervals) {
                if (hasParquet(interval)) {
                    String name = interval.getFileName().toString();
                    // year and month come from the partition folders, integers as in Athena ("03" would be text).
                    s.execute("CREATE VIEW " + name + " AS SELECT * FROM read_parquet("
                            + literal(interval + "/year=*/month=*/*.parquet")
                            + ", hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER})");
                    views.add(name);
                }
            }
        }
        return views;
    }

    private static int days(Path intervalDir) {
        String name = intervalDir.getFileName().toString();
        return Integer.parseInt(name.substring("silver_".length(), name.length() - 1));
    }

    private static boolean hasParquet(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void close() throws SQLException, IOException {
        try {
            connection.close();
        } finally {
            loader.close();
        }
    }
}
