package dev.pricelake.adapters.flatfiles;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FlatFileSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource.GroupedDay;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TransientUpstreamException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * overridden: GetObject of {@code flatfiles/us_stocks_sip/day_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz}, decompressed and parsed
 * as it streams in. SDK errors stop here: a refused credential is {@link NotAuthorizedException} naming the endpoint, a
 * missing file is an empty day, the rest is {@link TransientUpstreamException}.
 */
public final class S3FlatFiles implements FlatFileSource {
    public static final URI OFFICIAL_ENDPOINT = URI.create("https://files.massive.com");
    public static final String BUCKET = "flatfiles";
    private static final List<String> COLUMNS = List.of("ticker", "volume", "open", "close", "high", "low", "window_start",
            "transactions");
    private final S3Client s3;
    private final URI endpoint;

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
        return String.format(Locale.ROOT, "us_stocks_sip/day_aggs_v1/%04d/%02d/%s.csv.gz", session.getYear(),
                session.getMonthValue(), session);
    }

    @Override
    public String location() {
        return endpoint + " (bucket " + BUCKET + ")";
    }

    @Override
    public Optional<GroupedDay> day(LocalDate session) {
        String key = key(session);
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(b -> b.bucket(BUCKET).key(key));
             BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(object, 1 << 16),
                     StandardCharsets.UTF_8), 1 << 16)) {
            return Optional.of(parse(session, lines, key));
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

    /** The file's rows as bars of the session, columns found by their header's names. */
    static GroupedDay parse(LocalDate session, BufferedReader lines, String source) throws IOException {
        String header = lines.readLine();
        if (header == null) {
            throw new MalformedDataException(source, "is empty: no header line");
        }
        List<String> names = Arrays.asList(header.strip().split(","));
        int[] at = new int[COLUMNS.size()];
        for (int i = 0; i < COLUMNS.size(); i++) {
            at[i] = names.indexOf(COLUMNS.get(i));
            if (at[i] < 0) {
                throw new MalformedDataException(source, "has no column " + COLUMNS.get(i) + " (header: " + header + ")");
            }
        }
        List<Bar> bars = new ArrayList<>();
        List<String> unrecognized = new ArrayList<>();
        int lineNumber = 1;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < names.size()) {
                throw new MalformedDataException(source, "line " + lineNumber + " has " + f.length + " fields, not "
                        + names.size() + ": " + line);
            }
            Ticker ticker;
            try {
                ticker = Ticker.of(f[at[0]]);
            } catch (InvalidInputException e) {
                unrecognized.add(f[at[0]]);
                continue;
            }
            try {
                String trades = f[at[7]].strip();
                bars.add(new Bar(ticker, session, Double.parseDouble(f[at[2]]), Double.parseDouble(f[at[4]]),
                        Double.parseDouble(f[at[5]]), Double.parseDouble(f[at[3]]), Double.parseDouble(f[at[1]]), null,
                        trades.isEmpty() ? null : Long.parseLong(trades)));
            } catch (NumberFormatException e) {
                throw new MalformedDataException(source, "line " + lineNumber + " has a value that is not a number: " + line);
            }
        }
        return new GroupedDay(session, bars, unrecognized);
    }
}
