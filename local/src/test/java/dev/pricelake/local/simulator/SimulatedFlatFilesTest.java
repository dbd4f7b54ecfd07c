package dev.pricelake.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.core.Bar;
import dev.pricelake.core.TradingCalendar;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's flat files through the real AWS CLI: what S3 would answer, file for file. */
class SimulatedFlatFilesTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PolygonSimulator simulator;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        simulator = PolygonSimulator.start(new SyntheticMarket(7, 300, LocalDate.of(2024, 6, 28), CALENDAR),
                PolygonSimulator.Options.defaults(), 0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private record Aws(int exit, String out, String err) {
    }

    private static Aws awsAs(String accessKey, String secret, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", simulator.baseUrl().toString(), "--output", "json"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.remove("AWS_PROFILE");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Aws(process.waitFor(), out, err);
    }

    private static Aws aws(String... args) throws Exception {
        return awsAs(PolygonSimulator.FLATFILES_ACCESS_KEY, PolygonSimulator.FLATFILES_SECRET_KEY, args);
    }

    /** A file's lines, fetched with the AWS CLI and gunzipped, its header checked. */
    private List<String> csvLines(String key) throws Exception {
        Path file = temp.resolve(key.substring(key.lastIndexOf('/') + 1));
        Aws got = aws("s3api", "get-object", "--bucket", "flatfiles", "--key", key, file.toString());
        assertThat(got.exit()).as(got.err()).isZero();
        List<String> lines;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines.getFirst()).isEqualTo("ticker,volume,open,close,high,low,window_start,transactions");
        return lines;
    }

    private static PolygonClient rest() {
        return new PolygonClient(java.net.http.HttpClient.newHttpClient(), new PolygonConfig(simulator.baseUrl(), "any", 0,
                Duration.ofSeconds(10), 2, Duration.ofMillis(5)), RequestThrottle.inProcess());
    }

    @Test
    void listsOneFilePerPublishedSessionOfTheMonth() throws Exception {
        Aws listed = aws("s3api", "list-objects-v2", "--bucket", "flatfiles", "--prefix", "us_stocks_sip/day_aggs_v1/2024/03/");
        assertThat(listed.exit()).as(listed.err()).isZero();
        List<String> keys = new ArrayList<>();
        for (JsonNode object : JSON.readTree(listed.out()).get("Contents")) {
            keys.add(object.get("Key").asText());
            assertThat(object.get("Size").asLong()).isPositive();
        }
        List<String> march = CALENDAR.sessions(dev.pricelake.core.DateRange.parse("2024-03-01", "2024-03-31")).stream()
                .map(d -> "us_stocks_sip/day_aggs_v1/2024/03/" + d + ".csv.gz").toList();
        assertThat(keys).isEqualTo(march);

        // Paged as S3 pages: two keys a page, the CLI following the continuation tokens.
        Aws paged = aws("s3api", "list-objects-v2", "--bucket", "flatfiles", "--prefix", "us_stocks_sip/day_aggs_v1/2024/03/",
                "--page-size", "2");
        assertThat(paged.exit()).as(paged.err()).isZero();
        assertThat(JSON.readTree(paged.out()).get("Contents").size()).isEqualTo(march.size());
    }

    @Test
    void aDaysFileHoldsEveryListingsBarAsTradedWhichGroupedDailyUnadjustedServesToo() throws Exception {
        LocalDate day = LocalDate.of(2024, 3, 5);
        List<String> lines = csvLines("us_stocks_sip/day_aggs_v1/2024/03/2024-03-05.csv.gz");
        PolygonClient rest = rest();
        List<Bar> grouped = new ArrayList<>(rest.groupedDaily(day, false).bars());
        grouped.sort(java.util.Comparator.comparing(Bar::symbol));
        assertThat(lines).hasSize(grouped.size() + 1);
        long midnight = day.atStartOfDay(java.time.ZoneId.of("America/New_York")).toEpochSecond() * 1_000_000_000L;
        for (int i = 0; i < grouped.size(); i++) {
            Bar bar = grouped.get(i);
            String[] f = lines.get(i + 1).split(",");
            assertThat(f[0]).isEqualTo(bar.symbol().value());
            assertThat(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5])}).as(lines.get(i + 1))
                    .containsExactly(bar.volume(), bar.open(), bar.close(), bar.high(), bar.low());
            assertThat(Long.parseLong(f[6])).isEqualTo(midnight);
            assertThat(Long.parseLong(f[7])).isEqualTo(bar.transactions());
            assertThat(f[1] + f[2]).doesNotContain("E");
        }
        Aws head = aws("s3api", "head-object", "--bucket", "flatfiles", "--key", "us_stocks_sip/day_aggs_v1/2024/03/2024-03-05.csv.gz");
        assertThat(head.exit()).as(head.err()).isZero();
        assertThat(JSON.readTree(head.out()).get("ETag").asText()).isNotBlank();
    }

    @Test
    void aDayWithNoFileIsNoSuchKeyAndWrongCredentialsAreRefusedAsS3RefusesThem() throws Exception {
        Aws weekend = aws("s3api", "get-object", "--bucket", "flatfiles", "--key", "us_stocks_sip/day_aggs_v1/2024/03/2024-03-09.csv.gz",
                temp.resolve("x").toString());
        assertThat(weekend.exit()).isNotZero();
        assertThat(weekend.err()).contains("NoSuchKey");
        Aws unpublished = aws("s3api", "head-object", "--bucket", "flatfiles", "--key", "us_stocks_sip/day_aggs_v1/2024/07/2024-07-01.csv.gz");
        assertThat(unpublished.err()).contains("404");

        Aws wrongKey = awsAs("NOTTHEKEY", PolygonSimulator.FLATFILES_SECRET_KEY, "s3api", "list-objects-v2", "--bucket", "flatfiles");
        assertThat(wrongKey.exit()).isNotZero();
        assertThat(wrongKey.err()).contains("InvalidAccessKeyId");
        Aws wrongSecret = awsAs(PolygonSimulator.FLATFILES_ACCESS_KEY, "not-the-secret", "s3api", "head-object", "--bucket", "flatfiles",
                "--key", "us_stocks_sip/day_aggs_v1/2024/03/2024-03-05.csv.gz");
        assertThat(wrongSecret.exit()).isNotZero();
        assertThat(wrongSecret.err()).contains("403");
        Aws wrongSecretGet = awsAs(PolygonSimulator.FLATFILES_ACCESS_KEY, "not-the-secret", "s3api", "get-object", "--bucket",
                "flatfiles", "--key", "us_stocks_sip/day_aggs_v1/2024/03/2024-03-05.csv.gz", temp.resolve("y").toString());
        assertThat(wrongSecretGet.err()).contains("SignatureDoesNotMatch");
    }

    @Test
    void aMinuteFileHoldsTheMinutesTheRangeEndpointServesUnadjustedAndAWithheldOneIsNoSuchKey() throws Exception {
        LocalDate day = LocalDate.of(2024, 3, 5);
        Aws listed = aws("s3api", "list-objects-v2", "--bucket", "flatfiles", "--prefix", "us_stocks_sip/minute_aggs_v1/2024/03/");
        assertThat(listed.exit()).as(listed.err()).isZero();
        List<String> keys = new ArrayList<>();
        JSON.readTree(listed.out()).get("Contents").forEach(o -> keys.add(o.get("Key").asText()));
        assertThat(keys).isEqualTo(CALENDAR.sessions(dev.pricelake.core.DateRange.parse("2024-03-01", "2024-03-31")).stream()
                .map(d -> "us_stocks_sip/minute_aggs_v1/2024/03/" + d + ".csv.gz").toList());

        List<String> lines = csvLines("us_stocks_sip/minute_aggs_v1/2024/03/2024-03-05.csv.gz");
        PolygonClient rest = rest();
        List<String> symbols = lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct().toList();
        assertThat(symbols).isSorted().contains("AAPL", "SPY");
        List<dev.pricelake.core.MinuteBar> served = new ArrayList<>();
        for (String symbol : symbols) {
            served.addAll(rest.minuteBars(dev.pricelake.core.Ticker.of(symbol), new dev.pricelake.core.DateRange(day, day), false));
        }
        assertThat(lines).hasSize(served.size() + 1);
        for (int i = 0; i < served.size(); i++) {
            dev.pricelake.core.MinuteBar bar = served.get(i);
            String[] f = lines.get(i + 1).split(",");
            assertThat(f[0]).isEqualTo(bar.symbol().value());
            assertThat(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5])}).as(lines.get(i + 1))
                    .containsExactly(bar.volume(), bar.open(), bar.close(), bar.high(), bar.low());
            assertThat(Long.parseLong(f[6])).isEqualTo(bar.start().toEpochMilli() * 1_000_000L);
            assertThat(Long.parseLong(f[7])).isEqualTo(bar.transactions());
        }

        LocalDate withheld = LocalDate.of(2024, 3, 6);
        simulator.withholdMinuteFlatFile(withheld);
        Aws missing = aws("s3api", "get-object", "--bucket", "flatfiles", "--key", PolygonSimulator.minuteFlatFileKey(withheld),
                temp.resolve("w").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("NoSuchKey");
        Aws dayFile = aws("s3api", "head-object", "--bucket", "flatfiles", "--key", PolygonSimulator.flatFileKey(withheld));
        assertThat(dayFile.exit()).as(dayFile.err()).isZero();
    }
}
