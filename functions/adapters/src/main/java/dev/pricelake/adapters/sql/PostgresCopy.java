package dev.pricelake.adapters.sql;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows sent by PostgreSQL's COPY protocol in its text format. Kept apart from {@link JdbcSql} so only a caller of
 * COPY needs the PostgreSQL driver's classes (the function jars carry no driver; the local runner puts it beside them).
 */
final class PostgresCopy {
    private static final int FLUSH_BYTES = 1 << 20;

    private PostgresCopy() {
    }

    static void copyIn(Connection connection, String copySql, List<List<?>> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            StringBuilder text = new StringBuilder(FLUSH_BYTES + 4096);
            for (List<?> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    if (i > 0) {
                        text.append('\t');
                    }
                    appendValue(text, row.get(i));
                }
                text.append('\n');
                if (text.length() >= FLUSH_BYTES) {
                    write(copy, text);
                }
            }
            write(copy, text);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void write(CopyIn copy, StringBuilder text) throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
    }

    private static void appendValue(StringBuilder text, Object value) {
        switch (value) {
            case Sql.Null n -> text.append("\\N");
            case null -> throw new IllegalArgumentException("a bare null in a COPY row: use Sql.Null");
            // Double.toString is exact (the shortest decimal that reads back as the same double) and PostgreSQL reads it.
            case Double d -> text.append(d.doubleValue());
            case Long l -> text.append(l.longValue());
            case Integer i -> text.append(i.intValue());
            case LocalDate d -> text.append(d);
            case Instant t -> text.append(t);
            case Boolean b -> text.append(b ? 't' : 'f');
            case String s -> escape(text, s);
            default -> throw new IllegalArgumentException("COPY cannot send a " + value.getClass().getSimpleName());
        }
    }

    /** The text format's escapes: a backslash, tab, newline or carriage return inside a value. */
    private static void escape(StringBuilder text, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(ch);
            }
        }
    }
}
