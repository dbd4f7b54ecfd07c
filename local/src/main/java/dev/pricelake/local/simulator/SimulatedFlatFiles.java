package dev.pricelake.local.simulator;

import com.sun.net.httpserver.HttpExchange;
import dev.pricelake.core.Bar;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ohlcv;
import dev.pricelake.core.TradingCalendar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Massive's flat files of the simulator's market, through an S3-compatible API on the simulator's own URL: GetObject,
 * HeadObject and ListObjectsV2, path-style, bucket {@code flatfiles}, keys
 * {@code us_stocks_sip/day_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz}: one gzipped CSV per published session with every
 * listing's bar as traded (unadjusted), columns ticker,volume,open,close,high,low,window_start,transactions,
 * window_start in nanoseconds; and {@code us_stocks_sip/minute_aggs_v1/...} with the same columns, one row per minute
 * of every listing that trades every minute, the minutes its REST {@code /range/1/minute/} serves with
 * {@code adjusted=false}, ordered by ticker and window_start. As on S3, every request must carry a Signature Version 4 signature made with the
 * credentials set here (a wrong access key is 403 InvalidAccessKeyId, a wrong secret 403 SignatureDoesNotMatch), and a
 * key with no file is 404 NoSuchKey.
 */
final class SimulatedFlatFiles {
    static final String BUCKET = "flatfiles";
    static final String DAY_AGGS = "us_stocks_sip/day_aggs_v1/";
    static final String MINUTE_AGGS = "us_stocks_sip/minute_aggs_v1/";
    private static final Pattern FILE_KEY = Pattern.compile("(" + Pattern.quote(DAY_AGGS) + "|" + Pattern.quote(MINUTE_AGGS)
            + ")(\\d{4})/(\\d{2})/(\\d{4}-\\d{2}-\\d{2})\\.csv\\.gz");
    private static final String HEADER = "ticker,volume,open,close,high,low,window_start,transactions\n";
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
            + " ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)");
    private static final int MAX_KEYS = 1000;

    private final SyntheticMarket market;
    /** Keys of files not published (yet). */
    private final Set<String> withheld = ConcurrentHashMap.newKeySet();
    private volatile String accessKey;
    private volatile String secretKey;

    SimulatedFlatFiles(SyntheticMarket market, String accessKey, String secretKey) {
        this.market = market;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    void credentials(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    void withhold(LocalDate session) {
        withheld.add(key(session));
    }

    void withholdMinutes(LocalDate session) {
        withheld.add(minuteKey(session));
    }

    static boolean serves(String path) {
        return path.equals("/" + BUCKET) || path.equals("/" + BUCKET + "/") || path.startsWith("/" + BUCKET + "/");
    }

    void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        Optional<String[]> denied = authError(exchange);
        if (denied.isPresent()) {
            sendError(exchange, 403, denied.get()[0], denied.get()[1], null);
            return;
        }
        String key = rawPath.length() > BUCKET.length() + 2 ? decode(rawPath.substring(BUCKET.length() + 2)) : "";
        if (key.isEmpty()) {
            if (!method.equals("GET")) {
                sendError(exchange, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", null);
                return;
            }
            list(exchange, PolygonSimulator.query(exchange.getRequestURI().getRawQuery()));
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            sendError(exchange, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", null);
            return;
        }
        Optional<LocalDate> session = session(key);
        if (session.isEmpty()) {
            sendError(exchange, 404, "NoSuchKey", "The specified key does not exist.", key);
            return;
        }
        byte[] file = file(key, session.get());
        exchange.getResponseHeaders().set("Content-Type", "application/x-gzip");
        exchange.getResponseHeaders().set("ETag", etag(file));
        exchange.getResponseHeaders().set("Last-Modified", lastModified(session.get()));
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(file.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, file.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(file);
        }
    }

    /** The published session a key names, unless the simulator withholds its file. */
    private Optional<LocalDate> session(String key) {
        Matcher m = FILE_KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDate date;
        try {
            date = LocalDate.parse(m.group(4));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        TradingCalendar calendar = market.calendar();
        boolean published = !date.isBefore(TradingCalendar.FIRST_SESSION) && calendar.isSession(date)
                && !date.isAfter(market.lastPublishedSession());
        boolean filed = m.group(2).equals(String.format(Locale.ROOT, "%04d", date.getYear()))
                && m.group(3).equals(String.format(Locale.ROOT, "%02d", date.getMonthValue()));
        return published && filed && !withheld.contains(key) ? Optional.of(date) : Optional.empty();
    }

    static String key(LocalDate session) {
        return key(DAY_AGGS, session);
    }

    static String minuteKey(LocalDate session) {
        return key(MINUTE_AGGS, session);
    }

    private static String key(String prefix, LocalDate session) {
        return String.format(Locale.ROOT, "%s%04d/%02d/%s.csv.gz", prefix, session.getYear(), session.getMonthValue(), session);
    }

    private byte[] file(String key, LocalDate session) {
        return key.startsWith(MINUTE_AGGS) ? minuteFile(session) : file(session);
    }

    /** The session's file: every listing's unadjusted bar, in ticker order. */
    byte[] file(LocalDate session) {
        int index = market.calendar().sessionIndex(session);
        long windowStart = session.atStartOfDay(PolygonSimulator.NEW_YORK).toInstant().getEpochSecond() * 1_000_000_000L;
        StringBuilder csv = new StringBuilder(HEADER);
        List<Bar> bars = new ArrayList<>();
        for (SyntheticMarket.Listing listing : market.listings()) {
            bars.addAll(market.bars(listing, index, index, false));
        }
        bars.sort(java.util.Comparator.comparing(Bar::symbol));
        for (Bar bar : bars) {
            row(csv, bar, windowStart);
        }
        return gzip(csv);
    }

    /** The session's minute file: every minute of the listings that trade every minute, unadjusted, by ticker and time. */
    byte[] minuteFile(LocalDate session) {
        int index = market.calendar().sessionIndex(session);
        List<MinuteBar> minutes = new ArrayList<>();
        for (SyntheticMarket.Listing listing : market.listings()) {
            minutes.addAll(market.minuteBars(listing, index, index, false));
        }
        minutes.sort(java.util.Comparator.comparing(MinuteBar::symbol).thenComparing(MinuteBar::start));
        StringBuilder csv = new StringBuilder(HEADER);
        for (MinuteBar minute : minutes) {
            Instant start = minute.start();
            row(csv, minute, start.getEpochSecond() * 1_000_000_000L + start.getNano());
        }
        return gzip(csv);
    }

    private static void row(StringBuilder csv, Ohlcv bar, long windowStart) {
        csv.append(bar.symbol().value()).append(',').append(plain(bar.volume())).append(',').append(plain(bar.open()))
                .append(',').append(plain(bar.close())).append(',').append(plain(bar.high())).append(',')
                .append(plain(bar.low())).append(',').append(windowStart).append(',').append(bar.transactions())
                .append('\n');
    }

    /**
     * Deflated at the fastest level: the file is made on every request, and at the default level deflating took most of
     * a 10,000-listing file's time; the reader cannot tell the levels apart.
     */
    private static byte[] gzip(StringBuilder csv) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** As the files write numbers: plain decimals (4930, 12.3456), never exponents; read back they are the same double. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** ListObjectsV2: the published sessions' keys after the prefix, at most max-keys (1,000) a page. */
    private void list(HttpExchange exchange, java.util.Map<String, String> query) throws IOException {
        if (!"2".equals(query.get("list-type"))) {
            sendError(exchange, 400, "InvalidArgument", "Only ListObjectsV2 (list-type=2) is served here.", null);
            return;
        }
        String prefix = query.getOrDefault("prefix", "");
        String after = query.containsKey("continuation-token") ? query.get("continuation-token") : query.getOrDefault("start-after", "");
        int maxKeys = Math.min(MAX_KEYS, Integer.parseInt(query.getOrDefault("max-keys", Integer.toString(MAX_KEYS))));
        List<String> keys = new ArrayList<>();
        boolean truncated = false;
        TradingCalendar calendar = market.calendar();
        LocalDate last = market.lastPublishedSession();
        // Keys in S3's order: every day file ("day_aggs_v1" sorts first), then every minute file.
        listing:
        for (String kind : List.of(DAY_AGGS, MINUTE_AGGS)) {
            for (int i = 0; i < calendar.sessionCount(); i++) {
                LocalDate session = calendar.session(i);
                if (session.isAfter(last)) {
                    break;
                }
                String key = key(kind, session);
                if (withheld.contains(key) || !key.startsWith(prefix) || key.compareTo(after) <= 0) {
                    continue;
                }
                if (keys.size() == maxKeys) {
                    truncated = true;
                    break listing;
                }
                keys.add(key);
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.append("<Name>").append(BUCKET).append("</Name><Prefix>").append(prefix).append("</Prefix>");
        xml.append("<KeyCount>").append(keys.size()).append("</KeyCount><MaxKeys>").append(maxKeys).append("</MaxKeys>");
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (query.containsKey("continuation-token")) {
            xml.append("<ContinuationToken>").append(query.get("continuation-token")).append("</ContinuationToken>");
        }
        if (truncated) {
            xml.append("<NextContinuationToken>").append(keys.getLast()).append("</NextContinuationToken>");
        }
        for (String key : keys) {
            LocalDate session = LocalDate.parse(key.substring(key.lastIndexOf('/') + 1, key.indexOf(".csv.gz")));
            byte[] file = file(key, session);
            xml.append("<Contents><Key>").append(key).append("</Key><LastModified>").append(published(session))
                    .append("</LastModified><ETag>").append(etag(file).replace("\"", "&quot;")).append("</ETag><Size>")
                    .append(file.length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        xml.append("</ListBucketResult>");
        sendXml(exchange, 200, xml.toString());
    }

    /** A day's file appears around 11:00 New York the next day. */
    private static Instant published(LocalDate session) {
        return session.plusDays(1).atTime(11, 0).atZone(PolygonSimulator.NEW_YORK).toInstant();
    }

    private static String lastModified(LocalDate session) {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(published(session).atZone(java.time.ZoneOffset.UTC));
    }

    private static String etag(byte[] file) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(file)) + "\"";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks the request's Signature Version 4 as S3 does: the access key first, then the signature recomputed from
     * the canonical request with the secret. Returns the S3 error code and message, or empty when it is genuine.
     */
    private Optional<String[]> authError(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return Optional.of(new String[] {"AccessDenied", "Access Denied"});
        }
        Matcher m = AUTHORIZATION.matcher(header);
        if (!m.matches()) {
            return Optional.of(new String[] {"AuthorizationHeaderMalformed", "The authorization header is malformed."});
        }
        if (!m.group(1).equals(accessKey)) {
            return Optional.of(new String[] {"InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records."});
        }
        String date = m.group(2);
        String region = m.group(3);
        String service = m.group(4);
        String signedHeaders = m.group(5);
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        String payloadHash = exchange.getRequestHeaders().getFirst("X-Amz-Content-Sha256");
        if (amzDate == null || payloadHash == null) {
            return Optional.of(new String[] {"AccessDenied", "x-amz-date and x-amz-content-sha256 are required."});
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(exchange.getRequestMethod()).append('\n').append(exchange.getRequestURI().getRawPath()).append('\n')
                .append(canonicalQuery(exchange.getRequestURI().getRawQuery())).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = exchange.getRequestHeaders().get(name);
            String value = values == null ? "" : String.join(",", values).strip().replaceAll("\\s+", " ");
            canonical.append(name).append(':').append(value).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.toString()));
        byte[] signingKey = hmac(hmac(hmac(hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date), region), service),
                "aws4_request");
        if (!MessageDigest.isEqual(hex(hmac(signingKey, toSign)).getBytes(StandardCharsets.UTF_8),
                m.group(6).getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new String[] {"SignatureDoesNotMatch", "The request signature we calculated does not match"
                    + " the signature you provided. Check your key and signing method."});
        }
        return Optional.empty();
    }

    /** The query's parameters sorted by name, each as the client encoded it (SigV4 encodes them the same way). */
    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            sorted.computeIfAbsent(name, n -> new ArrayList<>()).add(eq < 0 ? "" : pair.substring(eq + 1));
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> parts.add(name + "=" + v)));
        return String.join("&", parts);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void sendError(HttpExchange exchange, int status, String code, String message, String key) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        sendXml(exchange, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message>" + (key == null ? "" : "<Key>" + key + "</Key>") + "<RequestId>simulator</RequestId></Error>");
    }

    private static void sendXml(HttpExchange exchange, int status, String xml) throws IOException {
        PolygonSimulator.send(exchange, status, "application/xml", xml);
    }
}
