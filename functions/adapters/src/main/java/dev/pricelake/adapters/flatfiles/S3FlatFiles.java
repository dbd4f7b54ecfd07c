package dev.pricelake.adapters.flatfiles;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FlatFileSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource.GroupedDay;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TransientUpstreamException;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link FlatFileSource} on Massive's S3-compatible endpoint (or the simulator's) through the AWS SDK with the endpoint
 * overridden: GetObject of {@code flatfiles/us_stocks_sip/day_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz} (and {@code minute_aggs_v1}
 * for minutes), decompressed and parsed
 * as it streams in. SDK errors stop here: a refused credential is {@link NotAuthorizedException} naming the endpoint, a
 * missing file is an empty day, the rest is {@link TransientUpstreamException}.
 */
public final class S3FlatFiles implements FlatFileSource {
    public static final URI OFFICIAL_ENDPOINT = URI.create("https://files.massive.com");
    public static final String BUCKET = "flatfiles";
    private static final List<String> COLUMNS = List.of("ticker", "volume", "open", "close", "high", "low", "window_start",
            "transactions");
    /** Well above the US market's symbols (about 12,000 with ETFs): a bound on the memory, never reached by real files. */
    private static final int MOST_KNOWN_TICKERS = 100_000;
    private final S3Client s3;
    private final URI endpoint;
    private final Map<String, Ticker> knownTickers = new ConcurrentHashMap<>();

    public S3FlatFiles(S3Client s3, URI endpoint) {
        this.s3 = s3;
        this.endpoint = endpoint;
    }

    /** A client for the endpoint: path-style, as Massive's endpoint and the simulator serve the bucket. */
    public static S3Client client(URI endpoint, AwsCredentialsProvider credentials) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    static String key(LocalDate session) {
        return key("day_aggs_v1", session);
    }

    static String minuteKey(LocalDate session) {
        return key("minute_aggs_v1", session);
    }

    private static String key(String kind, LocalDate session) {
        return String.format(Locale.ROOT, "us_stocks_sip/%s/%04d/%02d/%s.csv.gz", kind, session.getYear(),
                session.getMonthValue(), session);
    }

    @Override
    public String location() {
        return endpoint + " (bucket " + BUCKET + ")";
    }

    @Override
    public Optional<GroupedDay> day(LocalDate session) {
        return read(key(session), (lines, key) -> parse(session, lines, key, knownTickers));
    }

    @Override
    public Optional<List<MinuteBar>> minutes(LocalDate session, Set<Ticker> symbols) {
        return read(minuteKey(session), (lines, key) -> parseMinutes(lines, key, symbols));
    }

    private interface Parser<T> {
        T parse(CsvLines lines, String key) throws IOException;
    }

    /** The file at the key, decompressed and parsed as it streams in; empty when there is none. */
    private <T> Optional<T> read(String key, Parser<T> parser) {
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(b -> b.bucket(BUCKET).key(key));
             GZIPInputStream gunzipped = new GZIPInputStream(object, 1 << 16)) {
            return Optional.of(parser.parse(new CsvLines(gunzipped), key));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 401 || e.statusCode() == 403) {
                throw new NotAuthorizedException(NotAuthorizedException.Reason.FLAT_FILES_REFUSED, "the flat-files endpoint "
                        + location() + " answered " + e.statusCode() + " " + errorCode(e) + " for " + key);
            }
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new TransientUpstreamException("the flat-files endpoint " + location() + " answered " + e.statusCode()
                    + " " + errorCode(e) + " for " + key, e);
        } catch (SdkClientException e) {
            throw new TransientUpstreamException("the flat-files endpoint " + location() + " could not be reached for " + key
                    + ": " + e.getMessage(), e);
        } catch (SdkException | IOException e) {
            throw new TransientUpstreamException("reading " + key + " from the flat-files endpoint " + location()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    /** Where each of {@link #COLUMNS} is in the file, found by the header's names. */
    private static int[] columns(CsvLines lines, String source) throws IOException {
        String header = lines.nextText();
        if (header == null) {
            throw new MalformedDataException(source, "is empty: no header line");
        }
        List<String> names = Arrays.asList(header.strip().split(","));
        int[] at = new int[COLUMNS.size() + 1];
        for (int i = 0; i < COLUMNS.size(); i++) {
            at[i] = names.indexOf(COLUMNS.get(i));
            if (at[i] < 0) {
                throw new MalformedDataException(source, "has no column " + COLUMNS.get(i) + " (header: " + header + ")");
            }
        }
        at[COLUMNS.size()] = names.size();
        return at;
    }

    private static void requireFields(CsvLines line, int[] at, int lineNumber, String source) {
        int width = at[COLUMNS.size()];
        if (line.fields() < width) {
            throw new MalformedDataException(source, "line " + lineNumber + " has " + line.fields() + " fields, not " + width
                    + ": " + line.line());
        }
    }

    /**
     * The symbols' minutes in the file; every other row is skipped by its ticker alone, before anything else of it is
     * parsed (a whole-market file has millions).
     */
    static List<MinuteBar> parseMinutes(CsvLines lines, String source, Set<Ticker> symbols) throws IOException {
        int[] at = columns(lines, source);
        Map<String, Ticker> wanted = new HashMap<>();
        symbols.forEach(t -> wanted.put(t.value(), t));
        List<MinuteBar> minutes = new ArrayList<>();
        int lineNumber = 1;
        while (lines.next()) {
            lineNumber++;
            if (lines.fields() < 2 || lines.blank() || (at[0] == 0 && !wanted.containsKey(lines.text(0)))) {
                continue;
            }
            requireFields(lines, at, lineNumber, source);
            Ticker ticker = wanted.get(lines.text(at[0]));
            if (ticker == null) {
                continue;
            }
            try {
                long nanos = lines.integer(at[6]);
                minutes.add(new MinuteBar(ticker, Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                        Math.floorMod(nanos, 1_000_000_000L)), lines.number(at[2]), lines.number(at[4]),
                        lines.number(at[5]), lines.number(at[3]), lines.number(at[1]), null, transactions(lines, at)));
            } catch (NumberFormatException e) {
                throw new MalformedDataException(source, "line " + lineNumber + " has a value that is not a number: " + lines.line());
            }
        }
        return minutes;
    }

    private static Long transactions(CsvLines line, int[] at) {
        return line.empty(at[7]) ? null : line.integer(at[7]);
    }

    /**
     * The file's rows as bars of the session, columns found by their header's names. Tickers are the same from one
     * session to the next, so each is checked once per container ({@code known}), not once per file.
     */
    static GroupedDay parse(LocalDate session, CsvLines lines, String source, Map<String, Ticker> known) throws IOException {
        int[] at = columns(lines, source);
        List<Bar> bars = new ArrayList<>();
        List<String> unrecognized = new ArrayList<>();
        int lineNumber = 1;
        while (lines.next()) {
            lineNumber++;
            if (lines.blank()) {
                continue;
            }
            requireFields(lines, at, lineNumber, source);
            String symbol = lines.text(at[0]);
            Ticker ticker = known.get(symbol);
            if (ticker == null) {
                try {
                    ticker = Ticker.of(symbol);
                } catch (InvalidInputException e) {
                    unrecognized.add(symbol);
                    continue;
                }
                if (known.size() < MOST_KNOWN_TICKERS) {
                    known.put(symbol, ticker);
                }
            }
            try {
                bars.add(new Bar(ticker, session, lines.number(at[2]), lines.number(at[4]), lines.number(at[5]),
                        lines.number(at[3]), lines.number(at[1]), null, transactions(lines, at)));
            } catch (NumberFormatException e) {
                throw new MalformedDataException(source, "line " + lineNumber + " has a value that is not a number: " + lines.line());
            }
        }
        return new GroupedDay(session, bars, unrecognized);
    }
}
