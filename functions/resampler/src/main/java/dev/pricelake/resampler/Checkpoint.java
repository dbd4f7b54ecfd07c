package dev.pricelake.resampler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one interval has processed: the lake's last session at the time (which decides {@code complete}),
 * the calendar version, and every symbol's month digests, stored beside the JSON in a generation-numbered
 * object. The JSON is written last, so a run that stops half way leaves the previous checkpoint in force
 * and the next run redoes the same partitions.
 */
record Checkpoint(int interval, String calendarVersion, LocalDate lastSession, long generation,
                  Map<String, MonthDigests> digests) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    static Optional<Checkpoint> load(ObjectStore lake, int k) {
        String key = SilverLayout.checkpointKey(k);
        Optional<byte[]> json = lake.get(key);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(json.get());
            if (node.path("format").asInt() != FORMAT || node.path("interval").asInt() != k) {
                throw new MalformedDataException(key, "is not a format " + FORMAT + " checkpoint of interval " + k);
            }
            String digestsKey = node.path("digests").asText();
            byte[] compressed = lake.get(digestsKey).orElseThrow(() -> new MalformedDataException(key,
                    "names digests " + digestsKey + ", which are missing"));
            return Optional.of(new Checkpoint(k, node.path("calendar_version").asText(),
                    LocalDate.parse(node.path("last_session").asText()), node.path("generation").asLong(),
                    readDigests(compressed, digestsKey)));
        } catch (IOException e) {
            throw new MalformedDataException(key, "is not readable JSON", e);
        }
    }

    /**
     * Writes the digests ({@link #encode}d once by the caller, since every interval has the same) under a
     * new generation, then the JSON that points at them, then drops the old ones.
     */
    void save(ObjectStore lake, byte[] encodedDigests, Long previousGeneration, Instant now) {
        String digestsKey = SilverLayout.digestsKey(interval, generation);
        lake.put(digestsKey, encodedDigests);
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("interval", interval);
        node.put("calendar_version", calendarVersion);
        node.put("last_session", lastSession.toString());
        node.put("generation", generation);
        node.put("digests", digestsKey);
        node.put("symbols", digests.size());
        node.put("updated_at", now.toString());
        lake.put(SilverLayout.checkpointKey(interval), node.toPrettyString().getBytes(StandardCharsets.UTF_8));
        if (previousGeneration != null && previousGeneration != generation) {
            lake.delete(SilverLayout.digestsKey(interval, previousGeneration));
        }
    }

    static byte[] encode(Map<String, MonthDigests> digests) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(digests.size());
            for (Map.Entry<String, MonthDigests> e : new TreeMap<>(digests).entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().writeTo(out);
            }
            out.flush();
            return Zstd.compress(bytes.toByteArray(), 3);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, MonthDigests> readDigests(byte[] compressed, String key) {
        try {
            byte[] raw = Zstd.decompress(compressed, (int) Zstd.getFrameContentSize(compressed));
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
            int n = in.readInt();
            Map<String, MonthDigests> out = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                out.put(in.readUTF(), MonthDigests.readFrom(in));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException(key, "is not a readable digest file", e);
        }
    }
}
