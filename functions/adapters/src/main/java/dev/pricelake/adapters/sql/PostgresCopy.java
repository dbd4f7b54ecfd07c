package dev.pricelake.adapters.sql;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows sent by PostgreSQL's COPY protocol in its binary format: a double travels as its 8 bytes instead of a decimal
 * that the server parses again (the text format took three times as long to load a million bars). Kept apart from
 * {@link JdbcSql} so only a caller of COPY needs the PostgreSQL driver's classes (the function jars carry no driver;
 * the local runner puts it beside them).
 *
 * <p>The binary format carries no type names, so each value's Java type must be its column's: String for text, Double
 * for double precision, Long for bigint, Integer for integer, LocalDate for date, Instant for timestamptz, Boolean for
 * boolean; a mismatch fails the COPY ("incorrect binary data format"), it never stores a wrong value.
 */
final class PostgresCopy {
    private static final int FLUSH_BYTES = 1 << 20;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** PostgreSQL counts dates and timestamps from 2000-01-01 (UTC for timestamptz). */
    private static final long POSTGRES_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
    private static final long POSTGRES_EPOCH_SECOND = POSTGRES_EPOCH_DAY * 86_400;

    private PostgresCopy() {
    }

    static void copyIn(Connection connection, String copySql, Iterable<? extends List<?>> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            ByteBuffer out = ByteBuffer.allocate(FLUSH_BYTES + (1 << 16));
            out.put(SIGNATURE).putInt(0).putInt(0);
            for (List<?> row : rows) {
                out.putShort((short) row.size());
                for (Object value : row) {
                    out = room(copy, out, value);
                    putValue(out, value);
                }
                if (out.position() >= FLUSH_BYTES) {
                    flush(copy, out);
                }
            }
            out.putShort((short) -1);
            flush(copy, out);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** The buffer with room for the value: flushed first when it is nearly full, larger for a very long string. */
    private static ByteBuffer room(CopyIn copy, ByteBuffer out, Object value) throws SQLException {
        int need = value instanceof String s ? 4 + 3 * s.length() : 16;
        if (out.remaining() >= need) {
            return out;
        }
        flush(copy, out);
        return out.capacity() >= need ? out : ByteBuffer.allocate(need + FLUSH_BYTES);
    }

    private static void flush(CopyIn copy, ByteBuffer out) throws SQLException {
        copy.writeToCopy(out.array(), 0, out.position());
        out.clear();
    }

    private static void putValue(ByteBuffer out, Object value) {
        switch (value) {
            case Sql.Null n -> out.putInt(-1);
            case null -> throw new IllegalArgumentException("a bare null in a COPY row: use Sql.Null");
            case Double d -> out.putInt(8).putDouble(d);
            case Long l -> out.putInt(8).putLong(l);
            case Integer i -> out.putInt(4).putInt(i);
            case LocalDate d -> out.putInt(4).putInt(Math.toIntExact(d.toEpochDay() - POSTGRES_EPOCH_DAY));
            case Instant t -> out.putInt(8).putLong(micros(t));
            case Boolean b -> out.putInt(1).put((byte) (b ? 1 : 0));
            case String s -> {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                out.putInt(bytes.length).put(bytes);
            }
            default -> throw new IllegalArgumentException("COPY cannot send a " + value.getClass().getSimpleName());
        }
    }

    /**
     * Microseconds since PostgreSQL's epoch, the nanoseconds rounded half to even as PostgreSQL rounds a timestamp it
     * reads as text (the COPY text format before, an ISO timestamp in a statement), so every path stores the same instant.
     */
    static long micros(Instant t) {
        long micros = Math.multiplyExact(t.getEpochSecond() - POSTGRES_EPOCH_SECOND, 1_000_000L) + t.getNano() / 1000;
        int rest = t.getNano() % 1000;
        return rest > 500 || (rest == 500 && (micros & 1) == 1) ? micros + 1 : micros;
    }
}
