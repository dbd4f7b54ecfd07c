package dev.pricelake.adapters.sql;

import dev.pricelake.core.MalformedDataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies the same db/migration files Flyway applies locally, through {@link Sql}, for a database reached
 * only by the RDS Data API (where Flyway's JDBC cannot go). Each file runs in one transaction and is
 * recorded with its checksum in {@code pricelake_schema_history}, so a repeated deploy applies nothing and
 * a changed, already-applied file is refused.
 */
public final class DataApiMigrations {
    static final String HISTORY = "pricelake_schema_history";
    private static final Pattern FILE = Pattern.compile("V(\\d+)__(.+)\\.sql");

    record Migration(int version, String description, String sql, String checksum) {
    }

    private DataApiMigrations() {
    }

    /** Returns the versions this call applied. */
    public static List<Integer> apply(Sql sql) {
        sql.update("CREATE TABLE IF NOT EXISTS " + HISTORY + " (version integer PRIMARY KEY, description text NOT NULL,"
                + " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", List.of());
        Map<Integer, String> applied = new TreeMap<>();
        for (List<Object> row : sql.query("SELECT version, checksum FROM " + HISTORY, List.of())) {
            applied.put(((Long) row.get(0)).intValue(), (String) row.get(1));
        }
        List<Integer> done = new ArrayList<>();
        for (Migration m : bundled()) {
            String checksum = applied.get(m.version());
            if (checksum != null) {
                if (!checksum.equals(m.checksum())) {
                    throw new MalformedDataException("migration V" + m.version(), "was applied with checksum " + checksum
                            + " but the file now has " + m.checksum() + ": add a new migration instead of editing an applied one");
                }
                continue;
            }
            sql.inTransaction(tx -> {
                for (String statement : statements(m.sql())) {
                    tx.update(statement, List.of());
                }
                tx.update("INSERT INTO " + HISTORY + " (version, description, checksum) VALUES (?, ?, ?)",
                        List.of(m.version(), m.description(), m.checksum()));
                return null;
            });
            done.add(m.version());
        }
        return done;
    }

    /** The migrations packaged as classpath:db/migration, by version. */
    static List<Migration> bundled() {
        URL dir = DataApiMigrations.class.getClassLoader().getResource("db/migration");
        if (dir == null) {
            throw new IllegalStateException("db/migration is not on the classpath");
        }
        Map<Integer, Migration> out = new TreeMap<>();
        try {
            for (String name : names(dir)) {
                Matcher m = FILE.matcher(name);
                if (!m.matches()) {
                    continue;
                }
                try (InputStream in = DataApiMigrations.class.getClassLoader().getResourceAsStream("db/migration/" + name)) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    out.put(Integer.parseInt(m.group(1)), new Migration(Integer.parseInt(m.group(1)),
                            m.group(2).replace('_', ' '), text, sha256(text)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out.values());
    }

    private static List<String> names(URL dir) throws IOException {
        List<String> names = new ArrayList<>();
        if (dir.getProtocol().equals("jar")) {
            try (JarFile jar = ((JarURLConnection) dir.openConnection()).getJarFile()) {
                jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("db/migration/") && n.endsWith(".sql"))
                        .forEach(n -> names.add(n.substring("db/migration/".length())));
            }
        } else {
            try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                files.forEach(p -> names.add(p.getFileName().toString()));
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        return names;
    }

    /** Splits a script at semicolons outside quotes, comments and dollar-quoted bodies ($$ ... $$). */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
                current.append('\n');
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < n && !(script.charAt(end) == c && (end + 1 >= n || script.charAt(end + 1) != c))) {
                    end += script.charAt(end) == c ? 2 : 1;
                }
                current.append(script, i, Math.min(n, end + 1));
                i = end + 1;
            } else if (c == '$') {
                Matcher tag = Pattern.compile("\\$[A-Za-z_]*\\$").matcher(script).region(i, n);
                if (tag.lookingAt()) {
                    int end = script.indexOf(tag.group(), tag.end());
                    int stop = end < 0 ? n : end + tag.group().length();
                    current.append(script, i, stop);
                    i = stop;
                } else {
                    current.append(c);
                    i++;
                }
            } else if (c == ';') {
                add(out, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder statement) {
        String s = statement.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        statement.setLength(0);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
