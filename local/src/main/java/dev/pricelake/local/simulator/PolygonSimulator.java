package dev.pricelake.local.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pricelake.core.Bar;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speaks Polygon's REST API over a {@link SyntheticMarket}: aggregates range (paged by next_url), grouped
 * daily, tickers (cursor paged), ticker details (as of a date), splits and dividends (by date range, cursor paged)
 * and ticker events, with Polygon's JSON shapes and error bodies. It can rate-limit, fail and corrupt bars on
 * demand so every failure path can be exercised locally, and {@code /_simulator/publish-through?date=D} moves its
 * last published session (a day passing) while it serves. The same URL serves the market's flat files through an
 * S3-compatible API ({@link SimulatedFlatFiles}), with credentials of their own as Massive's are.
 */
public final class PolygonSimulator implements AutoCloseable {
    /** The flat files' credentials the simulator accepts unless told others: the local runner's stand-in pair. */
    public static final String FLATFILES_ACCESS_KEY = "SIMULATORFLATFILESKEY";
    public static final String FLATFILES_SECRET_KEY = "simulator-flat-files-secret";
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final String RATE_LIMIT_MESSAGE = "You've exceeded the maximum requests per minute, please wait or upgrade"
            + " your subscription to continue. https://polygon.io/pricing";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Polygon's most aggregates in one range answer. */
    static final int MAX_PAGE_SIZE = 50_000;
    private static final Pattern RANGE = Pattern.compile("/v2/aggs/ticker/([^/]+)/range/1/(day|minute)/([^/]+)/([^/]+)");
    private static final Pattern GROUPED = Pattern.compile("/v2/aggs/grouped/locale/us/market/stocks/([^/]+)");
    private static final Pattern DETAILS = Pattern.compile("/v3/reference/tickers/([^/]+)");
    private static final Pattern EVENTS = Pattern.compile("/vX/reference/tickers/([^/]+)/events");

    /**
     * @param rateLimitPerMinute requests accepted per sliding minute, 0 for no limit
     * @param errorRate          share of requests answered with a 5xx
     * @param invalidBarRate     share of bars served corrupt (high below low, negative volume)
     * @param apiKey             the only key accepted, or null to accept any key
     * @param latencyMillis      added to every response, as a network and a busy API would
     * @param partialGroupedAnswers the first answers of grouped daily for each date that carry only half the
     *                           symbols, as Polygon's does while a day is still being published
     * @param maxPageSize        the most aggregates a range page holds whatever the limit asked for (Polygon's 50,000),
     *                           lower to make a client follow many pages
     */
    public record Options(int rateLimitPerMinute, double errorRate, double invalidBarRate, String apiKey,
                          long latencyMillis, int partialGroupedAnswers, int maxPageSize) {
        public Options {
            if (maxPageSize < 1 || maxPageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("maxPageSize must be 1.." + MAX_PAGE_SIZE + ", not " + maxPageSize);
            }
        }

        public Options(int rateLimitPerMinute, double errorRate, double invalidBarRate, String apiKey, long latencyMillis,
                       int partialGroupedAnswers) {
            this(rateLimitPerMinute, errorRate, invalidBarRate, apiKey, latencyMillis, partialGroupedAnswers, MAX_PAGE_SIZE);
        }

        public Options(int rateLimitPerMinute, double errorRate, double invalidBarRate, String apiKey, long latencyMillis) {
            this(rateLimitPerMinute, errorRate, invalidBarRate, apiKey, latencyMillis, 0);
        }

        public Options withMaxPageSize(int size) {
            return new Options(rateLimitPerMinute, errorRate, invalidBarRate, apiKey, latencyMillis, partialGroupedAnswers, size);
        }

        public static Options defaults() {
            return new Options(0, 0, 0, null, 0);
        }
    }

    private final SyntheticMarket market;
    private final Options options;
    private final HttpServer server;
    private final ArrayDeque<Long> acceptedTimes = new ArrayDeque<>();
    private final SplittableRandom failures;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final Map<String, AtomicLong> requestsByEndpoint = new ConcurrentHashMap<>();
    private final Map<LocalDate, AtomicLong> groupedAnswers = new ConcurrentHashMap<>();
    private final SimulatedFlatFiles flatFiles;

    private PolygonSimulator(SyntheticMarket market, Options options, HttpServer server) {
        this.market = market;
        this.options = options;
        this.server = server;
        this.flatFiles = new SimulatedFlatFiles(market, FLATFILES_ACCESS_KEY, FLATFILES_SECRET_KEY);
        this.failures = new SplittableRandom(market.seed() ^ 0x5EEDL);
    }

    /** Starts on the loopback interface; port 0 picks a free port. */
    public static PolygonSimulator start(SyntheticMarket market, Options options, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        PolygonSimulator simulator = new PolygonSimulator(market, options, server);
        server.createContext("/", simulator::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().factory()));
        server.start();
        return simulator;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public SyntheticMarket market() {
        return market;
    }

    /** The only flat-files credentials accepted from now on. */
    public void flatFilesCredentials(String accessKey, String secretKey) {
        flatFiles.credentials(accessKey, secretKey);
    }

    /** Serves no flat file for this session from now on (404 NoSuchKey), as before Massive publishes it. */
    public void withholdFlatFile(LocalDate session) {
        flatFiles.withhold(session);
    }

    /** Serves no minute flat file for this session from now on (404 NoSuchKey); its day file stays. */
    public void withholdMinuteFlatFile(LocalDate session) {
        flatFiles.withholdMinutes(session);
    }

    /** The key of a session's minute-aggregates flat file in the {@code flatfiles} bucket. */
    public static String minuteFlatFileKey(LocalDate session) {
        return SimulatedFlatFiles.minuteKey(session);
    }

    /** The key of a session's day-aggregates flat file in the {@code flatfiles} bucket. */
    public static String flatFileKey(LocalDate session) {
        return SimulatedFlatFiles.key(session);
    }

    /** Requests answered so far by endpoint (range, grouped, tickers, details, splits, flatfiles), errors included. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> counts = new HashMap<>();
        requestsByEndpoint.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    /** Requests answered 429 because they came over the rate limit. */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Map<String, String> query = query(uri.getRawQuery());
            String path = uri.getPath();
            if (path.equals("/_simulator/stats")) {
                send(exchange, 200, JSON.writeValueAsString(Map.of("requests", requests.get(), "by_endpoint", requestCounts(),
                        "rate_limited", rateLimited.get())));
                return;
            }
            if (path.equals("/_simulator/publish-through")) {
                if (query.containsKey("date")) {
                    market.publishThrough(LocalDate.parse(query.get("date")));
                }
                send(exchange, 200, JSON.writeValueAsString(Map.of("last_session", market.lastPublishedSession().toString())));
                return;
            }
            requests.incrementAndGet();
            if (SimulatedFlatFiles.serves(path)) {
                requestsByEndpoint.computeIfAbsent("flatfiles", k -> new AtomicLong()).incrementAndGet();
                flatFiles.handle(exchange);
                return;
            }
            if (options.latencyMillis() > 0) {
                try {
                    Thread.sleep(options.latencyMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            requestsByEndpoint.computeIfAbsent(endpoint(path), k -> new AtomicLong()).incrementAndGet();
            Optional<String> authError = authError(exchange, query);
            if (authError.isPresent()) {
                send(exchange, 401, error("ERROR", authError.get()));
                return;
            }
            if (!admit()) {
                rateLimited.incrementAndGet();
                send(exchange, 429, error("ERROR", RATE_LIMIT_MESSAGE));
                return;
            }
            if (failNow()) {
                send(exchange, 503, error("ERROR", "Service temporarily unavailable"));
                return;
            }
            try {
                route(exchange, path, query);
            } catch (InvalidInputException | DateTimeParseException | IllegalArgumentException e) {
                send(exchange, 400, error("ERROR", e.getMessage()));
            }
        }
    }

    private static String endpoint(String path) {
        Matcher range = RANGE.matcher(path);
        if (range.matches()) {
            return range.group(2).equals("day") ? "range" : "range_minute";
        }
        if (GROUPED.matcher(path).matches()) {
            return "grouped";
        }
        if (path.equals("/v3/reference/tickers")) {
            return "tickers";
        }
        if (DETAILS.matcher(path).matches()) {
            return "details";
        }
        if (EVENTS.matcher(path).matches()) {
            return "events";
        }
        return switch (path) {
            case "/v3/reference/splits" -> "splits";
            case "/v3/reference/dividends" -> "dividends";
            default -> "other";
        };
    }

    private void route(HttpExchange exchange, String path, Map<String, String> query) throws IOException {
        Matcher m;
        if ((m = RANGE.matcher(path)).matches()) {
            range(exchange, decode(m.group(1)), m.group(2), m.group(3), m.group(4), query);
        } else if ((m = GROUPED.matcher(path)).matches()) {
            grouped(exchange, LocalDate.parse(m.group(1)), query);
        } else if (path.equals("/v3/reference/tickers")) {
            tickers(exchange, query);
        } else if ((m = DETAILS.matcher(path)).matches()) {
            details(exchange, decode(m.group(1)), query);
        } else if ((m = EVENTS.matcher(path)).matches()) {
            events(exchange, decode(m.group(1)));
        } else if (path.equals("/v3/reference/splits")) {
            splits(exchange, query);
        } else if (path.equals("/v3/reference/dividends")) {
            dividends(exchange, query);
        } else {
            send(exchange, 404, error("NOT_FOUND", "Route not found: " + path));
        }
    }

    /**
     * Day or minute bars of one ticker, {@code limit} a page (default 5000, at most 50,000), the rest behind next_url.
     * Minute bars are served for the listings that trade every minute; {@code from} and {@code to} are dates (whole
     * sessions) or epoch milliseconds (minutes starting between them, both included).
     */
    private void range(HttpExchange exchange, String symbol, String timespan, String from, String to,
                       Map<String, String> query) throws IOException {
        boolean adjusted = !"false".equals(query.get("adjusted"));
        int limit = Math.min(options.maxPageSize(), Integer.parseInt(query.getOrDefault("limit", "5000")));
        int offset = query.containsKey("cursor") ? Integer.parseInt(decodeCursor(query.get("cursor"))) : 0;
        if (!"asc".equals(query.getOrDefault("sort", "asc"))) {
            throw new IllegalArgumentException("the simulator serves sort=asc only");
        }
        boolean minutes = timespan.equals("minute");
        List<ObjectNode> results = new ArrayList<>();
        Optional<Ticker> ticker = parseTicker(symbol);
        Optional<SyntheticMarket.Listing> listing = ticker.flatMap(market::listingEverTradedAs);
        if (listing.isPresent()) {
            LocalDate start = parseDay(from);
            LocalDate end = parseDay(to);
            TradingCalendar calendar = market.calendar();
            if (!end.isBefore(start) && !end.isBefore(TradingCalendar.FIRST_SESSION)) {
                int firstIndex = calendar.sessionIndex(calendar.onOrAfter(start.isBefore(TradingCalendar.FIRST_SESSION) ? TradingCalendar.FIRST_SESSION : start));
                int lastIndex = calendar.sessionIndex(calendar.onOrBefore(end));
                if (minutes) {
                    long fromMillis = millis(from, start);
                    long toMillis = millis(to, end.plusDays(1)) - (isMillis(to) ? 0 : 1);
                    for (MinuteBar bar : market.minuteBars(listing.get(), firstIndex, lastIndex, adjusted)) {
                        long t = bar.start().toEpochMilli();
                        if (t >= fromMillis && t <= toMillis) {
                            results.add(aggregateJson(null, t, bar.symbol(), t / 60_000, bar.open(), bar.high(), bar.low(),
                                    bar.close(), bar.volume(), bar.vwap(), bar.transactions()));
                        }
                    }
                } else {
                    // Polygon's aggregates follow the ticker as traded: a renamed company's earlier bars are under its old one.
                    for (Bar bar : market.bars(listing.get(), firstIndex, lastIndex, adjusted)) {
                        if (bar.symbol().equals(ticker.get())) {
                            results.add(barJson(bar, null, bar.date().atStartOfDay(NEW_YORK).toInstant().toEpochMilli()));
                        }
                    }
                }
            }
        }
        List<ObjectNode> page = results.subList(Math.min(offset, results.size()), Math.min(results.size(), offset + limit));
        ObjectNode body = JSON.createObjectNode();
        body.put("ticker", symbol);
        body.put("queryCount", page.size());
        body.put("resultsCount", page.size());
        body.put("adjusted", adjusted);
        if (!page.isEmpty()) {
            body.putArray("results").addAll(page);
        }
        body.put("status", "OK");
        body.put("request_id", requestId());
        body.put("count", page.size());
        if (offset + limit < results.size()) {
            body.put("next_url", baseUrl() + "/v2/aggs/ticker/" + symbol + "/range/1/" + timespan + "/" + from + "/" + to
                    + "?cursor=" + encodeCursor(String.valueOf(offset + limit)) + "&adjusted=" + adjusted
                    + "&sort=asc&limit=" + limit);
        }
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private static boolean isMillis(String text) {
        return text.chars().allMatch(Character::isDigit);
    }

    /** Epoch milliseconds as given, or the start of the day in New York. */
    private static long millis(String text, LocalDate day) {
        return isMillis(text) ? Long.parseLong(text) : day.atStartOfDay(NEW_YORK).toInstant().toEpochMilli();
    }

    private void grouped(HttpExchange exchange, LocalDate date, Map<String, String> query) throws IOException {
        boolean adjusted = !"false".equals(query.get("adjusted"));
        TradingCalendar calendar = market.calendar();
        ObjectNode body = JSON.createObjectNode();
        body.put("adjusted", adjusted);
        List<Bar> bars = new ArrayList<>();
        if (!date.isBefore(TradingCalendar.FIRST_SESSION) && calendar.isSession(date)) {
            int index = calendar.sessionIndex(date);
            boolean partial = groupedAnswers.computeIfAbsent(date, d -> new AtomicLong()).incrementAndGet()
                    <= options.partialGroupedAnswers();
            List<SyntheticMarket.Listing> listings = market.listings();
            for (int i = 0; i < listings.size(); i += partial ? 2 : 1) {
                bars.addAll(market.bars(listings.get(i), index, index, adjusted));
            }
        }
        body.put("queryCount", bars.size());
        body.put("resultsCount", bars.size());
        if (!bars.isEmpty()) {
            ArrayNode results = body.putArray("results");
            long closeMillis = date.atTime(LocalTime.of(16, 0)).atZone(NEW_YORK).toInstant().toEpochMilli();
            for (Bar bar : bars) {
                results.add(barJson(bar, bar.symbol().value(), closeMillis));
            }
        }
        body.put("status", "OK");
        body.put("request_id", requestId());
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private void tickers(HttpExchange exchange, Map<String, String> query) throws IOException {
        String type = query.get("type");
        boolean active = !"false".equals(query.get("active"));
        int limit = Math.min(1000, Integer.parseInt(query.getOrDefault("limit", "100")));
        String after = query.containsKey("cursor") ? decodeCursor(query.get("cursor")) : "";
        List<SyntheticMarket.Listing> matching = market.listings().stream()
                .filter(l -> type == null || l.type().equals(type))
                .filter(l -> l.active() == active)
                .filter(l -> market.currentTicker(l).value().compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(market::currentTicker))
                .toList();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode results = body.putArray("results");
        for (SyntheticMarket.Listing l : matching.subList(0, Math.min(limit, matching.size()))) {
            ObjectNode r = listingJson(results.addObject(), l);
            r.put("ticker", market.currentTicker(l).value());
            if (!l.active()) {
                r.put("delisted_utc", delistedUtc(l));
            }
        }
        body.put("status", "OK");
        body.put("request_id", requestId());
        body.put("count", results.size());
        if (matching.size() > limit) {
            String last = market.currentTicker(matching.get(limit - 1)).value();
            StringBuilder next = new StringBuilder(baseUrl() + "/v3/reference/tickers?cursor=" + encodeCursor(last)
                    + "&active=" + active + "&limit=" + limit);
            if (type != null) {
                next.append("&type=").append(type);
            }
            body.put("next_url", next.toString());
        }
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    /** As of {@code date} (default: the last published session): the company that traded as the ticker then. */
    private void details(HttpExchange exchange, String symbol, Map<String, String> query) throws IOException {
        TradingCalendar calendar = market.calendar();
        int on = query.containsKey("date")
                ? calendar.sessionIndex(calendar.onOrBefore(LocalDate.parse(query.get("date"))))
                : market.publishedThroughIndex();
        Optional<Ticker> asked = parseTicker(symbol);
        Optional<SyntheticMarket.Listing> found = asked.flatMap(market::listingEverTradedAs)
                .filter(l -> market.tickerOn(l, on).equals(asked.get()));
        if (found.isEmpty()) {
            send(exchange, 404, error("NOT_FOUND", "Ticker not found."));
            return;
        }
        SyntheticMarket.Listing l = found.get();
        SyntheticMarket.Company company = l.company();
        long shares = market.sharesOutstanding(l);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode r = listingJson(body.putObject("results"), l);
        r.put("ticker", asked.get().value());
        r.put("cik", company.cik());
        r.put("composite_figi", company.compositeFigi());
        if (l.active()) {
            r.put("market_cap", shares * market.lastClose(l));
        }
        if (company.sicCode() != null) {
            r.put("sic_code", company.sicCode());
            r.put("sic_description", company.sicDescription());
        }
        r.put("ticker_root", l.ticker().value().split("\\.")[0]);
        r.put("list_date", market.calendar().session(l.firstSession()).toString());
        if (!l.active()) {
            r.put("delisted_utc", delistedUtc(l));
        }
        r.put("share_class_shares_outstanding", shares);
        r.put("weighted_shares_outstanding", Math.round(shares * 0.995));
        r.put("round_lot", 100);
        body.put("status", "OK");
        body.put("request_id", requestId());
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private String delistedUtc(SyntheticMarket.Listing l) {
        return market.calendar().session(l.lastSession()) + "T00:00:00Z";
    }

    /** Splits executed by the last published session, filtered by {@code execution_date.gte/lte} and ticker. */
    private void splits(HttpExchange exchange, Map<String, String> query) throws IOException {
        int[] window = window(query, "execution_date");
        List<ObjectNode> rows = new ArrayList<>();
        for (SyntheticMarket.Listing l : market.listings()) {
            for (SyntheticMarket.SplitEvent split : l.splits()) {
                Ticker traded = market.tickerOn(l, split.session());
                if (split.session() >= window[0] && split.session() <= window[1]
                        && (!query.containsKey("ticker") || traded.value().equals(query.get("ticker")))) {
                    ObjectNode r = JSON.createObjectNode();
                    r.put("id", "E" + Long.toHexString(l.pathSeed() ^ split.session()));
                    r.put("execution_date", market.calendar().session(split.session()).toString());
                    r.put("split_from", split.splitFrom());
                    r.put("split_to", split.splitTo());
                    r.put("ticker", traded.value());
                    rows.add(r);
                }
            }
        }
        rows.sort(java.util.Comparator.comparing((ObjectNode r) -> r.get("execution_date").asText())
                .thenComparing(r -> r.get("ticker").asText()));
        page(exchange, "/v3/reference/splits", query, rows);
    }

    /**
     * Cash dividends declared by the last published session (their ex-date may be later, as Polygon lists them
     * ahead), filtered by {@code ex_dividend_date.gte/lte} and ticker.
     */
    private void dividends(HttpExchange exchange, Map<String, String> query) throws IOException {
        int[] window = window(query, "ex_dividend_date");
        TradingCalendar calendar = market.calendar();
        List<ObjectNode> rows = new ArrayList<>();
        int lastSession = calendar.sessionCount() - 1;
        for (SyntheticMarket.DividendEvent d : market.dividends(window[0], Math.min(window[1], lastSession - 12))) {
            Ticker traded = market.tickerOn(d.listing(), d.exSession());
            int declared = Math.max(0, d.exSession() - 15);
            if (declared > market.publishedThroughIndex()
                    || (query.containsKey("ticker") && !traded.value().equals(query.get("ticker")))) {
                continue;
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("id", "E" + Long.toHexString(d.listing().pathSeed() ^ (31L * d.exSession())));
            r.put("cash_amount", d.cash());
            r.put("currency", "USD");
            r.put("declaration_date", calendar.session(declared).toString());
            r.put("dividend_type", "CD");
            r.put("ex_dividend_date", calendar.session(d.exSession()).toString());
            r.put("frequency", d.frequency());
            r.put("pay_date", calendar.session(d.exSession() + 10).toString());
            r.put("record_date", calendar.session(d.exSession() + 1).toString());
            r.put("ticker", traded.value());
            rows.add(r);
        }
        page(exchange, "/v3/reference/dividends", query, rows);
    }

    /**
     * Ticker events of a company, by composite FIGI or by the ticker it trades as now: one event per ticker it has
     * had, newest first, as Polygon's /vX/reference/tickers/{id}/events answers.
     */
    private void events(HttpExchange exchange, String id) throws IOException {
        Optional<SyntheticMarket.Listing> found = market.listings().stream().filter(l -> l.company().compositeFigi().equals(id)).findFirst()
                .or(() -> parseTicker(id).flatMap(market::listingEverTradedAs)
                        .filter(l -> market.currentTicker(l).value().equals(id)));
        if (found.isEmpty()) {
            send(exchange, 404, error("NOT_FOUND", "Ticker not found."));
            return;
        }
        SyntheticMarket.Listing l = found.get();
        TradingCalendar calendar = market.calendar();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode results = body.putObject("results");
        results.put("name", l.name());
        results.put("composite_figi", l.company().compositeFigi());
        results.put("cik", l.company().cik());
        ArrayNode events = results.putArray("events");
        Optional<SyntheticMarket.Rename> rename = market.rename(l).filter(r -> r.session() <= market.publishedThroughIndex());
        rename.ifPresent(r -> event(events, l.ticker(), calendar.session(r.session())));
        event(events, market.tickerOn(l, l.firstSession()), calendar.session(l.firstSession()));
        body.put("status", "OK");
        body.put("request_id", requestId());
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private static void event(ArrayNode events, Ticker ticker, LocalDate date) {
        ObjectNode e = events.addObject();
        e.putObject("ticker_change").put("ticker", ticker.value());
        e.put("type", "ticker_change");
        e.put("date", date.toString());
    }

    /** Sessions between {@code field.gte} and {@code field.lte} (indices), clipped to the last published session. */
    private int[] window(Map<String, String> query, String field) {
        TradingCalendar calendar = market.calendar();
        int from = query.containsKey(field + ".gte")
                ? calendar.sessionIndex(calendar.onOrAfter(LocalDate.parse(query.get(field + ".gte")))) : 0;
        int to = query.containsKey(field + ".lte")
                ? calendar.sessionIndex(calendar.onOrBefore(LocalDate.parse(query.get(field + ".lte")))) : calendar.sessionCount() - 1;
        return new int[] {from, field.equals("execution_date") ? Math.min(to, market.publishedThroughIndex()) : to};
    }

    /** One page of reference rows, {@code limit} at a time (default 10, at most 1000), the rest behind next_url. */
    private void page(HttpExchange exchange, String path, Map<String, String> query, List<ObjectNode> rows) throws IOException {
        int limit = Math.min(1000, Integer.parseInt(query.getOrDefault("limit", "10")));
        int offset = query.containsKey("cursor") ? Integer.parseInt(decodeCursor(query.get("cursor"))) : 0;
        ObjectNode body = JSON.createObjectNode();
        ArrayNode results = body.putArray("results");
        rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit)).forEach(results::add);
        body.put("status", "OK");
        body.put("request_id", requestId());
        if (offset + limit < rows.size()) {
            StringBuilder next = new StringBuilder(baseUrl() + path + "?cursor=" + encodeCursor(String.valueOf(offset + limit))
                    + "&limit=" + limit);
            query.forEach((k, v) -> {
                if (!k.equals("cursor") && !k.equals("limit")) {
                    next.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            });
            body.put("next_url", next.toString());
        }
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    /** The fields the tickers list and the ticker details share. */
    private static ObjectNode listingJson(ObjectNode r, SyntheticMarket.Listing l) {
        r.put("ticker", l.ticker().value());
        r.put("name", l.name());
        r.put("market", "stocks");
        r.put("locale", "us");
        r.put("primary_exchange", l.exchange());
        r.put("type", l.type());
        r.put("active", l.active());
        r.put("currency_name", "usd");
        return r;
    }

    private ObjectNode barJson(Bar bar, String symbol, long timestamp) {
        return aggregateJson(symbol, timestamp, bar.symbol(), bar.date().toEpochDay(), bar.open(), bar.high(), bar.low(),
                bar.close(), bar.volume(), bar.vwap(), bar.transactions());
    }

    /**
     * One aggregate as Polygon writes it ({@code T} only when a symbol is given), corrupt when the bar is chosen to be:
     * that is decided by the bar itself (its ticker and {@code period}, the day or the minute), so the same bar is
     * corrupt in every response that carries it.
     */
    private ObjectNode aggregateJson(String symbol, long timestamp, Ticker ticker, long period, double open, double high,
                                     double low, double close, double volume, Double vwap, Long transactions) {
        ObjectNode r = JSON.createObjectNode();
        if (symbol != null) {
            r.put("T", symbol);
        }
        if (options.invalidBarRate() > 0) {
            SplittableRandom pick = new SplittableRandom(market.seed() * 31 + ticker.value().hashCode() * 17L + period);
            if (pick.nextDouble() < options.invalidBarRate()) {
                if (pick.nextBoolean()) {
                    double swapped = high;
                    high = low;
                    low = swapped;
                } else {
                    volume = -volume;
                }
            }
        }
        r.put("v", volume);
        r.put("vw", vwap);
        r.put("o", open);
        r.put("c", close);
        r.put("h", high);
        r.put("l", low);
        r.put("t", timestamp);
        r.put("n", transactions);
        return r;
    }

    private Optional<String> authError(HttpExchange exchange, Map<String, String> query) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String key = header != null && header.startsWith("Bearer ") ? header.substring(7) : query.get("apiKey");
        if (key == null || key.isBlank()) {
            return Optional.of("API Key was not provided");
        }
        if (options.apiKey() != null && !options.apiKey().equals(key)) {
            return Optional.of("Unknown API Key");
        }
        return Optional.empty();
    }

    private synchronized boolean admit() {
        if (options.rateLimitPerMinute() <= 0) {
            return true;
        }
        long now = System.nanoTime();
        while (!acceptedTimes.isEmpty() && now - acceptedTimes.peekFirst() >= 60_000_000_000L) {
            acceptedTimes.pollFirst();
        }
        if (acceptedTimes.size() >= options.rateLimitPerMinute()) {
            return false;
        }
        acceptedTimes.addLast(now);
        return true;
    }

    private synchronized boolean failNow() {
        return options.errorRate() > 0 && failures.nextDouble() < options.errorRate();
    }

    private String requestId() {
        return HexFormat.of().toHexDigits(requests.get() * 0x9E3779B97F4A7C15L);
    }

    private static Optional<Ticker> parseTicker(String symbol) {
        try {
            return Optional.of(Ticker.of(symbol));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    /** Polygon accepts a date or epoch milliseconds for from/to. */
    private static LocalDate parseDay(String text) {
        if (isMillis(text)) {
            return java.time.Instant.ofEpochMilli(Long.parseLong(text)).atZone(NEW_YORK).toLocalDate();
        }
        return LocalDate.parse(text);
    }

    private static String error(String status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("request_id", "sim");
        body.put(status.equals("ERROR") ? "error" : "message", message);
        return body.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            out.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encodeCursor(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    }
}
