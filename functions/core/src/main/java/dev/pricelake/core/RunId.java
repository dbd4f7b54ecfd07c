package dev.pricelake.core;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies one run: {@code backfill-YYYYMMDD-HHMMSS-xxxxxxxx} (UTC start time and 32 random bits, so two
 * backfills started in the same second differ), {@code daily-YYYYMMDD} (the New York trading day, so a
 * repeated schedule for the same day names the same run and is a no-op), or
 * {@code symbols-YYYYMMDD-HHMMSS-xxxxxxxx} (a symbols refresh: its tickers are the details to fetch).
 */
public record RunId(String value) {
    private static final Pattern FORMAT =
            Pattern.compile("(?:backfill|symbols)-(\\d{8}-\\d{6})-[0-9a-f]{8}|daily-(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
            .withResolverStyle(ResolverStyle.STRICT);

    public RunId {
        if (value == null) {
            throw new InvalidInputException("run_id", "is missing");
        }
        Matcher m = FORMAT.matcher(value);
        boolean valid = m.matches();
        if (valid) {
            try {
                if (m.group(1) != null) {
                    LocalDateTime.parse(m.group(1), STAMP);
                } else {
                    LocalDate.parse(m.group(2), DAY);
                }
            } catch (DateTimeParseException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new InvalidInputException("run_id", "'" + value
                    + "' is not a run id (backfill-YYYYMMDD-HHMMSS-xxxxxxxx, daily-YYYYMMDD or symbols-YYYYMMDD-HHMMSS-xxxxxxxx)");
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

    public boolean isDaily() {
        return value.startsWith("daily-");
    }

    public boolean isSymbols() {
        return value.startsWith("symbols-");
    }

    @Override
    public String toString() {
        return value;
    }
}
