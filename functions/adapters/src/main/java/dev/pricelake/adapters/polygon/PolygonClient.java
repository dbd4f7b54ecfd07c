package dev.pricelake.adapters.polygon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.MinuteBarSource;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.actions.CorporateActionSource;
import dev.pricelake.core.actions.Dividend;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.TickerChange;
import dev.pricelake.core.fetch.FetchPlan;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Polygon's REST API (also served as Massive, and by the local simulator). The key travels only in the
 * Authorization header, so no URL, log line or error message ever carries it.
 */
public final class PolygonClient implements PriceSource, MinuteBarSource, ReferenceSource, CorporateActionSource {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIMIT = 50_000;

    private final HttpClient http;
    private final PolygonConfig config;
    private final RequestThrottle throttle;

    public PolygonClient(HttpClient http, PolygonConfig config, RequestThrottle throttle) {
        this.http = http;
        this.config = config;
        this.throttle = throttle;
    }

    /** A client whose limit only this process's threads share: for a single process, never for Lambda. */
    public static PolygonClient create(PolygonConfig config) {
        return create(config, RequestThrottle.inProcess());
    }

    /** Builds the HTTP client, which connects nowhere until the first request. */
    public static PolygonClient create(PolygonConfig config, RequestThrottle throttle) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new PolygonClient(http, config, throttle);
    }

    /**
     * The rate this client's calls are held to (0: none): built from a function's environment, the deployment's, which
     * every function calling Polygon uses for a run that gives no rate of its own.
     */
    public int requestsPerMinute() {
        return config.requestsPerMinute();
    }

    /** The same client (connections, key, throttle) held to another rate: a run's own requests_per_minute. */
    @Override
    public PolygonClient atRate(Integer requestsPerMinute) {
        return requestsPerMinute == null || requestsPerMinute == config.requestsPerMinute() ? this
                : new PolygonClient(http, config.withRequestsPerMinute(requestsPerMinute), throttle);
    }

    @Override
    public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
        String path = "/v2/aggs/ticker/" + encode(ticker.value()) + "/range/1/day/" + range.start() + "/" + range.end()
                + "?adjusted=" + adjusted + "&sort=asc&limit=" + MAX_LIMIT;
        List<Bar> bars = new ArrayList<>();
        forEachPage(path, page -> {
            for (JsonNode result : results(page)) {
                bars.add(bar(ticker, result));
            }
        });
        return bars;
    }

    @Override
    public List<MinuteBar> minuteBars(Ticker ticker, DateRange range, boolean adjusted) {
        List<MinuteBar> bars = new ArrayList<>();
        for (LocalDate start = range.start(); !start.isAfter(range.end()); ) {
            // Later pages are still followed should a source send more than one page holds.
            LocalDate next = start.withDayOfMonth(1).plusMonths(FetchPlan.MINUTE_MONTHS_PER_CALL);
            LocalDate end = next.minusDays(1).isBefore(range.end()) ? next.minusDays(1) : range.end();
            String path = "/v2/aggs/ticker/" + encode(ticker.value()) + "/range/1/minute/" + start + "/" + end
                    + "?adjusted=" + adjusted + "&sort=asc&limit=" + MAX_LIMIT;
            forEachPage(path, page -> {
                for (JsonNode result : results(page)) {
                    bars.add(new MinuteBar(ticker, Instant.ofEpochMilli(result.path("t").asLong()), number(result, "o"),
                            number(result, "h"), number(result, "l"), number(result, "c"), number(result, "v"),
                            optionalNumber(result, "vw"), result.hasNonNull("n") ? result.get("n").asLong() : null));
                }
            });
            start = next;
        }
        return bars;
    }

    @Override
    public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
        String path = "/v2/aggs/grouped/locale/us/market/stocks/" + date + "?adjusted=" + adjusted;
        List<Bar> bars = new ArrayList<>();
        List<String> unrecognized = new ArrayList<>();
        forEachPage(path, page -> {
            for (JsonNode result : results(page)) {
                String symbol = result.path("T").asText("");
                Optional<Ticker> ticker = tickerOrEmpty(symbol);
                if (ticker.isEmpty()) {
                    unrecognized.add(symbol);
                    continue;
                }
                bars.add(bar(ticker.get(), result));
            }
        });
        return new GroupedDay(date, bars, unrecognized);
    }

    @Override
    public Listing tickers(TickerQuery query) {
        String path = "/v3/reference/tickers?market=stocks&active=" + query.active() + "&limit=1000&order=asc&sort=ticker"
                + (query.type() == null ? "" : "&type=" + encode(query.type()));
        List<ListedTicker> out = new ArrayList<>();
        List<String> unrecognized = new ArrayList<>();
        forEachPage(path, page -> {
            for (JsonNode r : results(page)) {
                String symbol = r.path("ticker").asText("");
                Optional<Ticker> ticker = tickerOrEmpty(symbol);
                if (ticker.isEmpty()) {
                    unrecognized.add(symbol);
                    continue;
                }
                out.add(new ListedTicker(ticker.get(), r.path("name").asText(""), text(r, "type"),
                        text(r, "primary_exchange"), r.path("active").asBoolean(query.active())));
            }
        });
        return new Listing(out, unrecognized);
    }

    @Override
    public Optional<TickerDetails> details(Ticker ticker) {
        URI uri = resolve("/v3/reference/tickers/" + encode(ticker.value()));
        Optional<JsonNode> body = get(uri, true);
        return body.map(b -> b.path("results")).filter(r -> r.isObject()).map(r -> {
            try {
                return new TickerDetails(ticker, r.path("name").asText(""), text(r, "type"), text(r, "primary_exchange"),
                        r.path("active").asBoolean(), r.hasNonNull("market_cap") ? r.get("market_cap").asDouble() : null,
                        text(r, "sic_code"), text(r, "sic_description"),
                        r.hasNonNull("list_date") ? LocalDate.parse(r.get("list_date").asText()) : null,
                        r.hasNonNull("delisted_utc") ? Instant.parse(r.get("delisted_utc").asText()) : null,
                        text(r, "cik"), text(r, "composite_figi"), whole(r, "share_class_shares_outstanding"),
                        whole(r, "weighted_shares_outstanding"));
            } catch (DateTimeParseException e) {
                throw new MalformedDataException("GET " + uri.getPath(), "a date in the ticker details is malformed: "
                        + e.getParsedString());
            }
        });
    }

    /** A count Polygon may send as 16319440000 or 1.6319440E10; null when absent. */
    private static Long whole(JsonNode r, String field) {
        return r.hasNonNull(field) && r.get(field).isNumber() ? Math.round(r.get(field).asDouble()) : null;
    }

    @Override
    public List<Split> splits(DateRange executionDates) {
        String path = "/v3/reference/splits?execution_date.gte=" + executionDates.start() + "&execution_date.lte="
                + executionDates.end() + "&limit=1000&order=asc&sort=execution_date";
        List<Split> out = new ArrayList<>();
        forEachPage(path, page -> {
            for (JsonNode r : results(page)) {
                tickerOrEmpty(r.path("ticker").asText("")).ifPresent(ticker -> out.add(record(path, r, () -> new Split(ticker,
                        date(r, "execution_date"), r.path("split_from").asDouble(Double.NaN), r.path("split_to").asDouble(Double.NaN)))));
            }
        });
        return out;
    }

    @Override
    public List<Dividend> dividends(DateRange exDividendDates) {
        String path = "/v3/reference/dividends?ex_dividend_date.gte=" + exDividendDates.start() + "&ex_dividend_date.lte="
                + exDividendDates.end() + "&limit=1000&order=asc&sort=ex_dividend_date";
        List<Dividend> out = new ArrayList<>();
        forEachPage(path, page -> {
            for (JsonNode r : results(page)) {
                tickerOrEmpty(r.path("ticker").asText("")).ifPresent(ticker -> out.add(record(path, r, () -> new Dividend(ticker,
                        date(r, "ex_dividend_date"), optionalDate(r, "pay_date"), optionalDate(r, "record_date"),
                        optionalDate(r, "declaration_date"), r.path("cash_amount").asDouble(Double.NaN), text(r, "currency"),
                        r.path("frequency").asInt(0), r.path("dividend_type").asText("CD")))));
            }
        });
        return out;
    }

    /**
     * The company's identity on that date comes from the ticker details ({@code ?date=}), since the events endpoint
     * given a ticker answers for whoever trades under it today; its ticker history then comes by composite FIGI.
     */
    @Override
    public List<TickerChange> tickerChanges(Ticker ticker, LocalDate tradedOn) {
        Optional<JsonNode> details = get(resolve("/v3/reference/tickers/" + encode(ticker.value()) + "?date=" + tradedOn), true)
                .map(b -> b.path("results"));
        String id = details.map(d -> text(d, "composite_figi")).orElse(null);
        String path = "/vX/reference/tickers/" + encode(id != null ? id : ticker.value()) + "/events?types=ticker_change";
        Optional<JsonNode> events = get(resolve(path), true).map(b -> b.path("results"));
        if (events.isEmpty()) {
            return List.of();
        }
        JsonNode company = events.get();
        List<JsonNode> changes = new ArrayList<>();
        company.path("events").forEach(e -> {
            if ("ticker_change".equals(e.path("type").asText()) && e.path("ticker_change").hasNonNull("ticker")) {
                changes.add(e);
            }
        });
        changes.sort(Comparator.comparing(e -> e.path("date").asText()));
        List<TickerChange> out = new ArrayList<>();
        for (int i = 1; i < changes.size(); i++) {
            JsonNode before = changes.get(i - 1);
            JsonNode after = changes.get(i);
            Optional<Ticker> from = tickerOrEmpty(before.path("ticker_change").path("ticker").asText());
            Optional<Ticker> to = tickerOrEmpty(after.path("ticker_change").path("ticker").asText());
            if (from.isPresent() && to.isPresent() && !from.equals(to)) {
                out.add(record(path, after, () -> new TickerChange(from.get(), to.get(), date(after, "date"),
                        text(company, "composite_figi"), text(company, "cik"))));
            }
        }
        return out;
    }

    /** A record the source sent that cannot be one (a missing date, a split of zero) stops the refresh, named. */
    private static <T> T record(String path, JsonNode r, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (RuntimeException e) {
            throw new MalformedDataException("GET " + path.substring(0, path.indexOf('?') < 0 ? path.length() : path.indexOf('?')),
                    "unusable record " + r + ": " + e.getMessage(), e);
        }
    }

    private static LocalDate date(JsonNode r, String field) {
        return LocalDate.parse(r.path(field).asText());
    }

    private static LocalDate optionalDate(JsonNode r, String field) {
        return r.hasNonNull(field) && !r.get(field).asText().isBlank() ? LocalDate.parse(r.get(field).asText()) : null;
    }

    /** Follows next_url, always against the configured host so the key never goes anywhere else. */
    private void forEachPage(String firstPath, Consumer<JsonNode> onPage) {
        URI next = resolve(firstPath);
        while (next != null) {
            JsonNode page = get(next, false).orElseThrow();
            onPage.accept(page);
            String nextUrl = page.path("next_url").asText(null);
            next = nextUrl == null || nextUrl.isBlank() ? null : sameHost(URI.create(nextUrl));
        }
    }

    private URI resolve(String pathAndQuery) {
        return URI.create(config.baseUrl() + pathAndQuery);
    }

    private URI sameHost(URI nextUrl) {
        String rawQuery = nextUrl.getRawQuery();
        return resolve(nextUrl.getRawPath() + (rawQuery == null ? "" : "?" + rawQuery));
    }

    /**
     * One GET with the client's retries; empty only when {@code notFoundIsEmpty} and the server said 404. A
     * rejected key is read again once, in case it was set or rotated since it was read.
     */
    private Optional<JsonNode> get(URI uri, boolean notFoundIsEmpty) {
        String where = uri.getPath();
        boolean keyReloaded = false;
        for (int attempt = 1; ; attempt++) {
            String key = config.apiKey().current();
            throttle.acquire(config.baseUrl().getAuthority(), config.requestsPerMinute());
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri)
                        .timeout(config.requestTimeout())
                        .header("Authorization", "Bearer " + key)
                        .header("Accept", "application/json")
                        .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (attempt >= config.maxAttempts()) {
                    throw new TransientUpstreamException("GET " + uri + " failed after " + attempt + " attempts: " + e, e);
                }
                backoff(attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during GET " + uri, e);
            }
            int status = response.statusCode();
            if (status == 200) {
                return Optional.of(parse(uri, response.body()));
            }
            if (status == 404 && notFoundIsEmpty) {
                return Optional.empty();
            }
            String message = upstreamMessage(response.body());
            if (status == 429) {
                throw new RateLimitedException("Polygon rate limit reached at " + where + ": " + message);
            }
            if (status == 401 && !keyReloaded && config.apiKey().reload()) {
                keyReloaded = true;
                attempt--;
                continue;
            }
            if (status == 401) {
                throw new NotAuthorizedException(NotAuthorizedException.Reason.BAD_KEY, message);
            }
            if (status == 403) {
                throw new NotAuthorizedException(NotAuthorizedException.Reason.NOT_ENTITLED, message);
            }
            if (status >= 500 && attempt < config.maxAttempts()) {
                backoff(attempt);
                continue;
            }
            if (status >= 500) {
                throw new TransientUpstreamException("GET " + uri + " answered " + status + " after " + attempt
                        + " attempts: " + message, null);
            }
            throw new MalformedDataException("GET " + uri, "unexpected HTTP " + status + ": " + message);
        }
    }

    private void backoff(int attempt) {
        long cap = config.firstBackoff().toMillis() << Math.min(attempt - 1, 10);
        long millis = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between retries", e);
        }
    }

    private static JsonNode parse(URI uri, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MalformedDataException("GET " + uri, "response is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedDataException("GET " + uri, "response is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** Polygon puts the text in "message" (403) or "error" (401, 429). */
    private static String upstreamMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (JsonProcessingException ignored) {
            // Not JSON: fall through and show the start of the body.
        }
        return body == null ? "" : body.substring(0, Math.min(body.length(), 200));
    }

    private static Iterable<JsonNode> results(JsonNode page) {
        JsonNode results = page.get("results");
        return results == null || results.isNull() ? List.of() : results;
    }

    static Bar bar(Ticker ticker, JsonNode r) {
        LocalDate date = Instant.ofEpochMilli(r.path("t").asLong()).atZone(NEW_YORK).toLocalDate();
        return new Bar(ticker, date, number(r, "o"), number(r, "h"), number(r, "l"), number(r, "c"), number(r, "v"),
                optionalNumber(r, "vw"), r.hasNonNull("n") ? r.get("n").asLong() : null);
    }

    private static Double optionalNumber(JsonNode r, String field) {
        return r.hasNonNull(field) ? r.get(field).asDouble() : null;
    }

    /** A missing price becomes NaN so validation quarantines the bar with a reason instead of inventing a value. */
    private static double number(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static String text(JsonNode r, String field) {
        return r.hasNonNull(field) ? r.get(field).asText() : null;
    }

    private static Optional<Ticker> tickerOrEmpty(String symbol) {
        try {
            return Optional.of(Ticker.of(symbol));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
