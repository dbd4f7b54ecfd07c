package dev.pricelake.core.bronze;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.InvalidBar;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ohlcv;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.progress.Batch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's fetched bars wait in staging: one Parquet file per ticker for range and minute batches, so a batch cut
 * short by a rate limit keeps every ticker it finished, and one file per grouped day batch (per attempt), which calls
 * nothing per ticker; rejected bars go to quarantine as JSON lines with their reasons. All are keyed by run, so a
 * resume or a retry rewrites the same objects. A run fetched by grouped-daily calls also stages each session once,
 * for every batch of the run to take its tickers' bars from.
 */
public final class Staging {
    public static final String STAGING_PREFIX = "staging/";
    public static final String QUARANTINE_PREFIX = "quarantine/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION_FILE = "/data.parquet";
    private final ObjectStore store;

    public Staging(ObjectStore store) {
        this.store = store;
    }

    public static String stagingKey(RunId runId, Ticker ticker) {
        return STAGING_PREFIX + runId + "/symbol=" + ticker.value() + "/data.parquet";
    }

    /** A batch's staged tickers when it stages them in one file ({@link Batch#stagedAsOneFile()}). */
    public static String batchKey(RunId runId, int epoch, int batch) {
        return STAGING_PREFIX + runId + "/batch-bars/epoch=" + epoch + "/batch=" + batch + "/data.parquet";
    }

    public static String batchKey(Batch batch) {
        return batchKey(batch.runId(), batch.epoch(), batch.batch());
    }

    /** Stages the batch's tickers, each with its rows and footer metadata, in one file, replacing what it held. */
    public void writeBatch(Batch batch, Map<Ticker, BronzeFile> tickers) {
        store.put(batchKey(batch), BatchFile.write(tickers));
    }

    /** The tickers the batch's one file holds, or none before it is written. */
    public Map<Ticker, BronzeFile> readBatch(Batch batch) {
        String key = batchKey(batch);
        return store.get(key).map(bytes -> BatchFile.read(bytes, key)).orElse(Map.of());
    }

    /** The batch's staged day bars, for the steps after FetchPrices. */
    public StagedDays stagedDays(Batch batch) {
        return new StagedDays(this, batch);
    }

    /** One grouped-daily session of a run: the bars of the run's tickers that day, every symbol in one file. */
    public static String sessionKey(RunId runId, LocalDate session) {
        return sessionsPrefix(runId) + session + SESSION_FILE;
    }

    private static String sessionsPrefix(RunId runId) {
        return STAGING_PREFIX + runId + "/sessions/date=";
    }

    /**
     * One batch's share of a chunk of grouped sessions: an attempt cuts the sessions it stages into one piece per
     * batch, so each batch reads only its own tickers' bars, never every symbol of every session.
     */
    public static String sessionPieceKey(RunId runId, int epoch, int batch, SessionChunk chunk) {
        return epochSessionsPrefix(runId, epoch) + "batch=" + batch + "/" + chunk.name() + ".parquet";
    }

    /** Written after every piece of its chunk, so a chunk that is listed is whole. */
    public static String sessionChunkKey(RunId runId, int epoch, SessionChunk chunk) {
        return epochSessionsPrefix(runId, epoch) + "chunks/" + chunk.name() + ".txt";
    }

    private static String epochSessionsPrefix(RunId runId, int epoch) {
        return STAGING_PREFIX + runId + "/sessions/epoch=" + epoch + "/";
    }

    /** The batches of one attempt of a run, as the JSON array the state machine's distributed Map reads. */
    public static String batchesKey(RunId runId, int epoch) {
        return STAGING_PREFIX + runId + "/batches/epoch=" + epoch + ".json";
    }

    /**
     * The flat files one attempt of a run reads, one session a JSON string, for the distributed Map that stages them
     * in parallel.
     */
    public static String flatFilesKey(RunId runId, int epoch) {
        return STAGING_PREFIX + runId + "/flat-files/epoch=" + epoch + ".json";
    }

    public static String quarantineKey(RunId runId, Ticker ticker) {
        return QUARANTINE_PREFIX + runId + "/symbol=" + ticker.value() + "/bars.jsonl";
    }

    public void writeBars(RunId runId, Ticker ticker, List<BronzeRow> rows) {
        writeBars(runId, ticker, rows, Map.of());
    }

    /** Stages the rows with the footer metadata the bronze file should carry after the merge. */
    public void writeBars(RunId runId, Ticker ticker, List<BronzeRow> rows, Map<String, String> metadata) {
        store.put(stagingKey(runId, ticker), BronzeParquet.write(rows, metadata));
    }

    /** The staged rows and footer metadata, or an empty file when the ticker had no valid bars. */
    public BronzeFile readFile(RunId runId, Ticker ticker) {
        String key = stagingKey(runId, ticker);
        return store.get(key).map(bytes -> BronzeParquet.readFile(bytes, key)).orElse(BronzeFile.EMPTY);
    }

    /** Whether the ticker's fetched bars are in staging (a resume then need not fetch them again). */
    public boolean hasBars(RunId runId, Ticker ticker) {
        return !store.list(stagingKey(runId, ticker)).isEmpty();
    }

    public void writeSession(RunId runId, LocalDate session, List<BronzeRow> rows) {
        store.put(sessionKey(runId, session), BronzeParquet.write(rows));
    }

    /** The staged session's rows, or empty when the session has not been fetched in this run. */
    public Optional<List<BronzeRow>> readSession(RunId runId, LocalDate session) {
        String key = sessionKey(runId, session);
        return store.get(key).map(bytes -> BronzeParquet.read(bytes, key));
    }

    /**
     * Writes one chunk of sessions cut per batch, then the chunk's record. Batches without bars in the chunk get no
     * piece: a listed chunk without a batch's piece has none of its bars.
     */
    public void writeSessionChunk(RunId runId, int epoch, SessionChunk chunk, Map<Integer, List<BronzeRow>> pieces) {
        pieces.forEach((batch, rows) -> {
            if (!rows.isEmpty()) {
                store.put(sessionPieceKey(runId, epoch, batch, chunk), BronzeParquet.write(rows));
            }
        });
        store.put(sessionChunkKey(runId, epoch, chunk), chunk.toText().getBytes(StandardCharsets.UTF_8));
    }

    /** The chunks of sessions this attempt has cut per batch, in the order of their first sessions. */
    public List<SessionChunk> sessionChunks(RunId runId, int epoch) {
        String prefix = epochSessionsPrefix(runId, epoch) + "chunks/";
        // Only keys as sessionChunkKey writes them: the local S3 stand-in lists a file another Map child is still
        // writing under its key plus a random suffix, and that object is gone by the time it is read.
        return store.list(prefix).stream()
                .filter(key -> key.endsWith(".txt"))
                .map(key -> store.get(key).map(bytes -> SessionChunk.parse(new String(bytes, StandardCharsets.UTF_8), key))
                        .orElseThrow(() -> new IllegalStateException(key + " vanished while it was read")))
                .toList();
    }

    /** The batch's rows of the chunk (none when it had no bars there). */
    public List<BronzeRow> readSessionPiece(RunId runId, int epoch, int batch, SessionChunk chunk) {
        String key = sessionPieceKey(runId, epoch, batch, chunk);
        return store.get(key).map(bytes -> BronzeParquet.read(bytes, key)).orElse(List.of());
    }

    /** The sessions staged in this run so far: one listing, where asking for each session would be a request each. */
    public Set<LocalDate> stagedSessions(RunId runId) {
        String prefix = sessionsPrefix(runId);
        Set<LocalDate> sessions = new HashSet<>();
        for (String key : store.list(prefix)) {
            if (key.endsWith(SESSION_FILE) && key.length() > prefix.length() + SESSION_FILE.length()) {
                try {
                    sessions.add(LocalDate.parse(key.substring(prefix.length(), key.length() - SESSION_FILE.length())));
                } catch (DateTimeParseException notOurs) {
                    // Some other object under the prefix: not a staged session.
                }
            }
        }
        return sessions;
    }

    public boolean hasSession(RunId runId, LocalDate session) {
        return !store.list(sessionKey(runId, session)).isEmpty();
    }

    public void deleteQuarantine(RunId runId, Ticker ticker) {
        store.delete(quarantineKey(runId, ticker));
    }

    public void writeQuarantine(RunId runId, Ticker ticker, List<InvalidBar> invalid) {
        StringBuilder lines = new StringBuilder();
        for (InvalidBar bad : invalid) {
            lines.append(quarantineLine(bad.bar(), "date", bad.bar().date().toString(), bad.reasons())).append('\n');
        }
        store.put(quarantineKey(runId, ticker), lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Minute bars kept out of the lake, each with its reasons, as day bars are (with {@code ts} for {@code date}). */
    public void writeMinuteQuarantine(RunId runId, Ticker ticker, List<Map.Entry<MinuteBar, List<String>>> invalid) {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<MinuteBar, List<String>> bad : invalid) {
            lines.append(quarantineLine(bad.getKey(), "ts", bad.getKey().start().toString(), bad.getValue())).append('\n');
        }
        store.put(minuteQuarantineKey(runId, ticker), lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    public void deleteMinuteQuarantine(RunId runId, Ticker ticker) {
        store.delete(minuteQuarantineKey(runId, ticker));
    }

    private static ObjectNode quarantineLine(Ohlcv bar, String timeField, String time, List<String> reasons) {
        ObjectNode line = JSON.createObjectNode();
        line.put("symbol", bar.symbol().value());
        line.put(timeField, time);
        line.put("open", bar.open());
        line.put("high", bar.high());
        line.put("low", bar.low());
        line.put("close", bar.close());
        line.put("volume", bar.volume());
        if (bar.vwap() != null) {
            line.put("vwap", bar.vwap());
        }
        if (bar.transactions() != null) {
            line.put("transactions", bar.transactions());
        }
        line.putArray("reasons").addAll(reasons.stream().map(JSON.getNodeFactory()::textNode).toList());
        return line;
    }

    public static String minuteStagingKey(RunId runId, Ticker ticker) {
        return STAGING_PREFIX + runId + "/minutes/symbol=" + ticker.value() + "/data.parquet";
    }

    public static String minuteQuarantineKey(RunId runId, Ticker ticker) {
        return QUARANTINE_PREFIX + runId + "/minutes/symbol=" + ticker.value() + "/bars.jsonl";
    }

    /** Stages a ticker's minute rows with the footer metadata its minute bronze files should carry. */
    public void writeMinutes(RunId runId, Ticker ticker, List<MinuteRow> rows, Map<String, String> metadata) {
        store.put(minuteStagingKey(runId, ticker), BronzeParquet.writeMinutes(rows, metadata));
    }

    /** The staged minute rows and footer metadata, or an empty file when the ticker had none. */
    public MinuteFile readMinutes(RunId runId, Ticker ticker) {
        String key = minuteStagingKey(runId, ticker);
        return store.get(key).map(bytes -> BronzeParquet.readMinutes(bytes, key)).orElse(MinuteFile.EMPTY);
    }

    /** Where a ticker's minutes of one session wait, as the flat files (or the range endpoint in their place) served them. */
    static String minuteSessionKey(RunId runId, Ticker ticker, LocalDate session) {
        return minuteSessionsPrefix(runId, ticker) + session + ".parquet";
    }

    private static String minuteSessionsPrefix(RunId runId, Ticker ticker) {
        return STAGING_PREFIX + runId + "/minute-sessions/symbol=" + ticker.value() + "/";
    }

    private static String minuteSessionStagedKey(RunId runId, LocalDate session) {
        return STAGING_PREFIX + runId + "/minute-sessions/staged/" + session + ".txt";
    }

    /** Stages a ticker's minutes of one session, unchecked (FetchPrices validates them with the ticker's others). */
    public void writeMinuteSession(RunId runId, Ticker ticker, LocalDate session, List<MinuteBar> minutes, Instant at) {
        List<MinuteRow> rows = new ArrayList<>(minutes.size());
        minutes.forEach(m -> rows.add(new MinuteRow(m, at)));
        store.put(minuteSessionKey(runId, ticker, session), BronzeParquet.writeMinutes(rows, Map.of()));
    }

    /** Records that every ticker's minutes of the session are staged (written after them, so a recorded session is whole). */
    public void markMinuteSessionStaged(RunId runId, LocalDate session) {
        store.put(minuteSessionStagedKey(runId, session), session.toString().getBytes(StandardCharsets.UTF_8));
    }

    public boolean minuteSessionStaged(RunId runId, LocalDate session) {
        return store.get(minuteSessionStagedKey(runId, session)).isPresent();
    }

    /** The ticker's staged minutes of every session, oldest session first. */
    public List<MinuteBar> readMinuteSessions(RunId runId, Ticker ticker) {
        List<MinuteBar> minutes = new ArrayList<>();
        for (String key : store.list(minuteSessionsPrefix(runId, ticker)).stream().sorted().toList()) {
            store.get(key).ifPresent(bytes -> BronzeParquet.readMinutes(bytes, key).rows().forEach(r -> minutes.add(r.bar())));
        }
        return minutes;
    }

    public boolean hasMinutes(RunId runId, Ticker ticker) {
        return !store.list(minuteStagingKey(runId, ticker)).isEmpty();
    }
}
