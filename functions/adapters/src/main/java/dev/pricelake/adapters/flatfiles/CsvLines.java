package dev.pricelake.adapters.flatfiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a flat file's CSV, read as bytes and split at commas in place: a whole-market file has ten thousand
 * (day) to millions (minute) of rows, and decoding each to a String, splitting it into more Strings and parsing those
 * cost more than the rest of a session's staging. Lines end at {@code \n}, {@code \r} or {@code \r\n}, as
 * {@link java.io.BufferedReader#readLine()} has them; fields are read as numbers without a String where they are
 * plain decimals, and as {@link Double#parseDouble} and {@link Long#parseLong} read them otherwise, so every value
 * and every error is theirs.
 */
final class CsvLines {
    /** Powers of ten a double holds exactly: a decimal of at most 15 digits over one of them is rounded once. */
    private static final double[] EXACT_POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final int MOST_EXACT_DIGITS = 15;
    private final InputStream in;
    private byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private boolean ended;
    /** The last line ended at a \r: a \n right after it belongs to that line's end. */
    private boolean afterCarriageReturn;
    private int lineStart;
    private int lineEnd;
    /** Where each field of the current line starts; the field ends one before the next one's start. */
    private int[] starts = new int[16];
    private int fields;

    CsvLines(InputStream in) {
        this.in = in;
    }

    /** The next line as text (the header), or null at the end. */
    String nextText() throws IOException {
        return next() ? line() : null;
    }

    /** Moves to the next line; false at the end of the file. */
    boolean next() throws IOException {
        if (afterCarriageReturn) {
            afterCarriageReturn = false;
            if (position == limit && !ended) {
                fill();
            }
            if (position < limit && buffer[position] == '\n') {
                position++;
            }
        }
        int scan = position;
        while (true) {
            for (int i = scan; i < limit; i++) {
                byte b = buffer[i];
                if (b == '\n' || b == '\r') {
                    lineStart = position;
                    lineEnd = i;
                    position = i + 1;
                    afterCarriageReturn = b == '\r';
                    split();
                    return true;
                }
            }
            if (ended) {
                if (position == limit) {
                    return false;
                }
                lineStart = position;
                lineEnd = limit;
                position = limit;
                split();
                return true;
            }
            scan = limit - position;
            fill();
            scan += position;
        }
    }

    /** Reads more of the stream after what is unread, moving that to the buffer's start (and growing it when full). */
    private void fill() throws IOException {
        int unread = limit - position;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, unread);
            lineStart -= position;
            lineEnd -= position;
            position = 0;
            limit = unread;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            ended = true;
        } else {
            limit += read;
        }
    }

    private void split() {
        fields = 0;
        addField(lineStart);
        for (int i = lineStart; i < lineEnd; i++) {
            if (buffer[i] == ',') {
                addField(i + 1);
            }
        }
        addField(lineEnd + 1);
        fields--;
    }

    private void addField(int start) {
        if (fields == starts.length) {
            starts = Arrays.copyOf(starts, fields * 2);
        }
        starts[fields++] = start;
    }

    /** The current line, for errors. */
    String line() {
        return new String(buffer, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
    }

    /** Whether the line is empty or white space only, as {@link String#isBlank()} has it. */
    boolean blank() {
        for (int i = lineStart; i < lineEnd; i++) {
            byte b = buffer[i];
            if (b < 0 || !Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    int fields() {
        return fields;
    }

    String text(int field) {
        return new String(buffer, starts[field], end(field) - starts[field], StandardCharsets.UTF_8);
    }

    /** Whether the field is empty or white space only. */
    boolean empty(int field) {
        for (int i = starts[field]; i < end(field); i++) {
            if (buffer[i] < 0 || !Character.isWhitespace(buffer[i])) {
                return false;
            }
        }
        return true;
    }

    private int end(int field) {
        return starts[field + 1] - 1;
    }

    /** The field as {@link Double#parseDouble} reads it; throws its {@link NumberFormatException}. */
    double number(int field) {
        int i = starts[field];
        int end = end(field);
        boolean negative = i < end && buffer[i] == '-';
        if (negative) {
            i++;
        }
        long digits = 0;
        int count = 0;
        int fraction = -1;
        for (; i < end; i++) {
            byte b = buffer[i];
            if (b >= '0' && b <= '9') {
                if (++count > MOST_EXACT_DIGITS) {
                    return Double.parseDouble(text(field));
                }
                digits = digits * 10 + (b - '0');
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (b == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.parseDouble(text(field));
            }
        }
        if (count == 0) {
            return Double.parseDouble(text(field));
        }
        // Both exact in a double, so the one division rounds as parsing the decimal does.
        double value = fraction > 0 ? digits / EXACT_POWERS_OF_TEN[fraction] : digits;
        return negative ? -value : value;
    }

    /** The field, white space around it stripped, as {@link Long#parseLong} reads it; throws its {@link NumberFormatException}. */
    long integer(int field) {
        int i = starts[field];
        int end = end(field);
        if (i == end || end - i > 18) {
            return Long.parseLong(text(field).strip());
        }
        long value = 0;
        for (; i < end; i++) {
            byte b = buffer[i];
            if (b < '0' || b > '9') {
                return Long.parseLong(text(field).strip());
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
