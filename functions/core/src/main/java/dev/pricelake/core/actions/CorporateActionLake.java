package dev.pricelake.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The corporate actions in the lake, as JSON lines any tool reads (DuckDB's read_json, pandas' read_json with
 * lines=True): {@code reference/splits/year=YYYY/splits.jsonl} by execution date,
 * {@code reference/dividends/year=YYYY/dividends.jsonl} by ex-dividend date, {@code reference/ticker_changes/
 * ticker_changes.jsonl}, and what has been fetched so far in {@code reference/corporate_actions/state.json}. A
 * refresh replaces a window of dates whole, so a record the source corrected or withdrew is corrected here too.
 */
public final class CorporateActionLake {
    public static final String STATE_KEY = "reference/corporate_actions/state.json";
    public static final String TICKER_CHANGES_KEY = "reference/ticker_changes/ticker_changes.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of dated record and how it is written. */
    record Kind<T>(String name, Function<T, LocalDate> date, Function<T, String> identity, Function<T, ObjectNode> encode,
                   Function<JsonNode, T> decode) {
        String key(int year) {
            return "reference/" + name + "/year=" + year + "/" + name + ".jsonl";
        }

        String prefix() {
            return "reference/" + name + "/";
        }
    }

    static final Kind<Split> SPLITS = new Kind<>("splits", Split::executionDate,
            s -> s.ticker() + "|" + s.executionDate(), CorporateActionLake::encode, CorporateActionLake::split);
    static final Kind<Dividend> DIVIDENDS = new Kind<>("dividends", Dividend::exDividendDate,
            d -> d.ticker() + "|" + d.exDividendDate() + "|" + d.type(), CorporateActionLake::encode, CorporateActionLake::dividend);

    /** What has been fetched of one kind: every record dated from {@code since} to {@code through}. */
    public record Coverage(LocalDate since, LocalDate through, Instant fetchedAt) {
    }

    /**
     * @param silencesChecked for each symbol that went silent, the last bar date whose silence was looked into (a
     *                        rename, a delisting or a halt), so each silence costs one look
     */
    public record State(Optional<Coverage> splits, Optional<Coverage> dividends, Map<Ticker, LocalDate> silencesChecked) {
        public State {
            silencesChecked = Map.copyOf(silencesChecked);
        }

        static final State EMPTY = new State(Optional.empty(), Optional.empty(), Map.of());
    }

    private final ObjectStore lake;

    public CorporateActionLake(ObjectStore lake) {
        this.lake = lake;
    }

    public List<Split> splits() {
        return all(SPLITS);
    }

    public List<Dividend> dividends() {
        return all(DIVIDENDS);
    }

    /** The splits executed in the window become exactly these; returns those that are new or changed. */
    public List<Split> replaceSplits(DateRange window, List<Split> fetched) {
        return replace(SPLITS, window, fetched);
    }

    /** The dividends going ex in the window become exactly these; returns those that are new or changed. */
    public List<Dividend> replaceDividends(DateRange window, List<Dividend> fetched) {
        return replace(DIVIDENDS, window, fetched);
    }

    public List<TickerChange> tickerChanges() {
        return lines(TICKER_CHANGES_KEY).stream().map(CorporateActionLake::tickerChange).toList();
    }

    /** Adds these ticker changes (one per old ticker and date); returns whether anything was new. */
    public boolean addTickerChanges(List<TickerChange> changes) {
        Map<String, TickerChange> all = new TreeMap<>();
        tickerChanges().forEach(c -> all.put(c.from() + "|" + c.date(), c));
        boolean changed = false;
        for (TickerChange c : changes) {
            changed |= !c.equals(all.put(c.from() + "|" + c.date(), c));
        }
        if (changed) {
            StringBuilder out = new StringBuilder();
            all.values().stream().sorted(Comparator.comparing(TickerChange::date).thenComparing(TickerChange::from))
                    .forEach(c -> out.append(encode(c)).append('\n'));
            lake.put(TICKER_CHANGES_KEY, out.toString().getBytes(StandardCharsets.UTF_8));
        }
        return changed;
    }

    public State state() {
        return lake.get(STATE_KEY).map(bytes -> {
            try {
                JsonNode root = JSON.readTree(bytes);
                Map<Ticker, LocalDate> checked = new TreeMap<>();
                root.path("silences_checked").fields().forEachRemaining(e ->
                        checked.put(Ticker.of(e.getKey()), LocalDate.parse(e.getValue().asText())));
                return new State(coverage(root.get("splits")), coverage(root.get("dividends")), checked);
            } catch (IOException | RuntimeException e) {
                throw new MalformedDataException(STATE_KEY, "is not a readable corporate actions state (" + e.getMessage() + ")", e);
            }
        }).orElse(State.EMPTY);
    }

    public void save(State state) {
        ObjectNode root = JSON.createObjectNode();
        state.splits().ifPresent(c -> root.set("splits", coverage(c)));
        state.dividends().ifPresent(c -> root.set("dividends", coverage(c)));
        ObjectNode checked = root.putObject("silences_checked");
        new TreeMap<>(state.silencesChecked()).forEach((t, d) -> checked.put(t.value(), d.toString()));
        lake.put(STATE_KEY, root.toPrettyString().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<Coverage> coverage(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(new Coverage(
                LocalDate.parse(node.path("since").asText()), LocalDate.parse(node.path("through").asText()),
                Instant.parse(node.path("fetched_at").asText())));
    }

    private static ObjectNode coverage(Coverage c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("since", c.since().toString());
        node.put("through", c.through().toString());
        node.put("fetched_at", c.fetchedAt().toString());
        return node;
    }

    private <T> List<T> all(Kind<T> kind) {
        List<T> out = new ArrayList<>();
        for (String key : lake.list(kind.prefix())) {
            if (key.endsWith(".jsonl")) {
                lines(key).forEach(line -> out.add(kind.decode().apply(line)));
            }
        }
        return out;
    }

    private <T> List<T> replace(Kind<T> kind, DateRange window, List<T> fetched) {
        Map<Integer, List<T>> byYear = new TreeMap<>();
        for (int year = window.start().getYear(); year <= window.end().getYear(); year++) {
            byYear.put(year, new ArrayList<>());
        }
        for (T record : fetched) {
            LocalDate date = kind.date().apply(record);
            if (window.contains(date)) {
                byYear.get(date.getYear()).add(record);
            }
        }
        List<T> changed = new ArrayList<>();
        for (Map.Entry<Integer, List<T>> year : byYear.entrySet()) {
            String key = kind.key(year.getKey());
            Map<String, T> kept = new LinkedHashMap<>();
            Map<String, T> before = new LinkedHashMap<>();
            for (JsonNode line : lines(key)) {
                T record = kind.decode().apply(line);
                (window.contains(kind.date().apply(record)) ? before : kept).put(kind.identity().apply(record), record);
            }
            boolean differs = false;
            for (T record : year.getValue()) {
                String id = kind.identity().apply(record);
                if (!record.equals(before.get(id))) {
                    changed.add(record);
                    differs = true;
                }
                kept.put(id, record);
            }
            if (differs || before.size() != year.getValue().size()) {
                write(kind, key, new ArrayList<>(kept.values()));
            }
        }
        return changed;
    }

    private <T> void write(Kind<T> kind, String key, List<T> records) {
        if (records.isEmpty()) {
            lake.delete(key);
            return;
        }
        records.sort(Comparator.comparing(kind.date()).thenComparing(kind.identity()));
        StringBuilder out = new StringBuilder();
        records.forEach(r -> out.append(kind.encode().apply(r)).append('\n'));
        lake.put(key, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private List<JsonNode> lines(String key) {
        List<JsonNode> out = new ArrayList<>();
        lake.get(key).ifPresent(bytes -> {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new MalformedDataException(key, "has a line that is not JSON: " + line, e);
                    }
                }
            }
        });
        return out;
    }

    static ObjectNode encode(Split s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ticker", s.ticker().value());
        n.put("execution_date", s.executionDate().toString());
        n.put("split_from", s.splitFrom());
        n.put("split_to", s.splitTo());
        return n;
    }

    static Split split(JsonNode n) {
        return new Split(Ticker.of(n.path("ticker").asText()), LocalDate.parse(n.path("execution_date").asText()),
                n.path("split_from").asDouble(), n.path("split_to").asDouble());
    }

    static ObjectNode encode(Dividend d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ticker", d.ticker().value());
        n.put("ex_dividend_date", d.exDividendDate().toString());
        putDate(n, "pay_date", d.payDate());
        putDate(n, "record_date", d.recordDate());
        putDate(n, "declaration_date", d.declarationDate());
        n.put("cash_amount", d.cashAmount());
        n.put("currency", d.currency());
        n.put("frequency", d.frequency());
        n.put("dividend_type", d.type());
        return n;
    }

    static Dividend dividend(JsonNode n) {
        return new Dividend(Ticker.of(n.path("ticker").asText()), LocalDate.parse(n.path("ex_dividend_date").asText()),
                date(n, "pay_date"), date(n, "record_date"), date(n, "declaration_date"), n.path("cash_amount").asDouble(),
                n.path("currency").asText(null), n.path("frequency").asInt(), n.path("dividend_type").asText());
    }

    static ObjectNode encode(TickerChange c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("old_ticker", c.from().value());
        n.put("new_ticker", c.to().value());
        n.put("date", c.date().toString());
        n.put("composite_figi", c.compositeFigi());
        n.put("cik", c.cik());
        return n;
    }

    static TickerChange tickerChange(JsonNode n) {
        return new TickerChange(Ticker.of(n.path("old_ticker").asText()), Ticker.of(n.path("new_ticker").asText()),
                LocalDate.parse(n.path("date").asText()), n.path("composite_figi").asText(null), n.path("cik").asText(null));
    }

    private static void putDate(ObjectNode n, String field, LocalDate date) {
        if (date == null) {
            n.putNull(field);
        } else {
            n.put(field, date.toString());
        }
    }

    private static LocalDate date(JsonNode n, String field) {
        return n.hasNonNull(field) ? LocalDate.parse(n.get(field).asText()) : null;
    }
}
