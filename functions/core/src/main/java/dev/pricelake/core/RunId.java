package dev.pricelake.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies one run: {@code backfill-YYYYMMDD-HHMMSS-xxxxxxxx} (UTC start time and 32 random bits, so two
 * backfills started in the same second differ), {@code daily-YYYYMMDD} (the New York trading day, so a
 * repeated schedule for the same day names the same run and is a no-op), {@code daily-YYYYMMDD-N} (the N-th
 * forced re-run of that day), {@code daily-minute-YYYYMMDD} (the day's daily run of minute bars, reruns likewise),
 * {@code symbols-YYYYMMDD-HHMMSS-xxxxxxxx} (a symbols refresh: its tickers are the
 * details to fetch), or a name the client chose ({@code sp500-2024}), which makes the start an idempotency key.
 * Names starting with {@code daily-} or {@code symbols-} are reserved for those runs.
 */
public record RunId(String value) {
    private static final Pattern GENERATED = Pattern.compile("(?:backfill|symbols)-(\\d{8}-\\d{6})-[0-9a-f]{8}");
    private static final Pattern GENERATED_LIKE = Pattern.compile("(?:backfill|symbols)-\\d{8}-\\d{6}-[0-9A-Fa-f]{8}");
    private static final Pattern DAILY = Pattern.compile("daily-(?:minute-)?(\\d{8})(?:-([2-9]|[1-9]\\d{1,3}))?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
            .withResolverStyle(ResolverStyle.STRICT);

    public RunId {
        if (value == null) {
            throw new InvalidInputException("run_id", "is missing");
        }
        if (!valid(value)) {
            throw new InvalidInputException("run_id", "'" + value + "' is not a run id (backfill-YYYYMMDD-HHMMSS-xxxxxxxx,"
                    + " daily-YYYYMMDD, symbols-YYYYMMDD-HHMMSS-xxxxxxxx, or a name of 1 to 64 letters, digits, '.', '_' or"
                    + " '-' not starting with daily- or symbols-)");
        }
    }

    private static boolean valid(String value) {
        if (value.startsWith("daily-")) {
            Matcher m = DAILY.matcher(value);
            return m.matches() && parses(m.group(1), DAY);
        }
        if (GENERATED_LIKE.matcher(value).matches()) {
            Matcher m = GENERATED.matcher(value);
            return m.matches() && parses(m.group(1), STAMP);
        }
        return !value.startsWith("symbols-") && NAME.matcher(value).matches();
    }

    private static boolean parses(String text, DateTimeFormatter format) {
        try {
            if (format == DAY) {
                LocalDate.parse(text, DAY);
            } else {
                LocalDateTime.parse(text, STAMP);
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    public static RunId backfill(Instant startedAt, RandomGenerator random) {
        return stamped("backfill-", startedAt, random);
    }

    public static RunId symbols(Instant startedAt, RandomGenerator random) {
        return stamped("symbols-", startedAt, random);
    }

    private static RunId stamped(String prefix, Instant startedAt, RandomGenerator random) {
        String stamp = STAMP.format(LocalDateTime.ofInstant(startedAt, ZoneOffset.UTC));
        return new RunId(prefix + stamp + "-" + HexFormat.of().toHexDigits(random.nextInt()));
    }

    /**
     * The run of a state machine execution: its start time and 32 bits of a hash of its id, so every attempt of the
     * execution's first step names the same run.
     */
    public static RunId backfill(Instant executionStart, String executionId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(executionId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        String stamp = STAMP.format(LocalDateTime.ofInstant(executionStart, ZoneOffset.UTC));
        return new RunId("backfill-" + stamp + "-" + HexFormat.of().formatHex(digest, 0, 4));
    }

    public static RunId daily(LocalDate tradingDay) {
        return new RunId("daily-" + DAY.format(tradingDay));
    }

    /** The daily run of minute bars: its own name, so it never takes the day run's place. */
    public static RunId dailyMinute(LocalDate tradingDay) {
        return new RunId("daily-minute-" + DAY.format(tradingDay));
    }

    /** The {@code rerun}-th forced run of a day (2, 3, ...). */
    public static RunId dailyRerun(LocalDate tradingDay, int rerun) {
        return daily(tradingDay).rerun(rerun);
    }

    /** The {@code rerun}-th forced run (2, 3, ...) of the day this daily run is for. */
    public RunId rerun(int rerun) {
        if (rerun < 2) {
            throw new IllegalArgumentException("a re-run is numbered from 2, not " + rerun);
        }
        return new RunId(value + "-" + rerun);
    }

    public boolean isDaily() {
        return value.startsWith("daily-");
    }

    public boolean isSymbols() {
        return value.startsWith("symbols-");
    }

    /** The day a daily run is for. */
    public Optional<LocalDate> dailyDate() {
        Matcher m = DAILY.matcher(value);
        return m.matches() ? Optional.of(LocalDate.parse(m.group(1), DAY)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
