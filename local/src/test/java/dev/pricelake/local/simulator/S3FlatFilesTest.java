package dev.pricelake.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.adapters.flatfiles.S3FlatFiles;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource.GroupedDay;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The flat-files adapter against the simulator's S3 API: what it reads, and how it names what went wrong. */
class S3FlatFilesTest {
    private static PolygonSimulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = PolygonSimulator.start(new SyntheticMarket(11, 200, LocalDate.of(2024, 6, 28), TradingCalendar.nyse()),
                PolygonSimulator.Options.defaults(), 0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static S3FlatFiles files(String key, String secret) {
        return new S3FlatFiles(S3FlatFiles.client(simulator.baseUrl(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(key, secret))), simulator.baseUrl());
    }

    @Test
    void aSessionsFileIsWhatGroupedDailyServesUnadjustedWithoutVwap() {
        LocalDate day = LocalDate.of(2024, 6, 3);
        GroupedDay read = files(PolygonSimulator.FLATFILES_ACCESS_KEY, PolygonSimulator.FLATFILES_SECRET_KEY).day(day).orElseThrow();
        PolygonClient rest = new PolygonClient(HttpClient.newHttpClient(), new PolygonConfig(simulator.baseUrl(), "any", 0,
                Duration.ofSeconds(10), 2, Duration.ofMillis(5)), RequestThrottle.inProcess());
        List<Bar> expected = rest.groupedDaily(day, false).bars().stream()
                .map(b -> new Bar(b.symbol(), b.date(), b.open(), b.high(), b.low(), b.close(), b.volume(), null, b.transactions()))
                .sorted(Comparator.comparing(Bar::symbol)).toList();
        assertThat(read.date()).isEqualTo(day);
        assertThat(read.bars()).hasSizeGreaterThan(100).isEqualTo(expected);
    }

    @Test
    void aDayWithoutAFileIsEmptyAndRefusedCredentialsNameTheEndpoint() {
        S3FlatFiles right = files(PolygonSimulator.FLATFILES_ACCESS_KEY, PolygonSimulator.FLATFILES_SECRET_KEY);
        assertThat(right.day(LocalDate.of(2024, 6, 1))).isEmpty();
        assertThat(right.day(LocalDate.of(2024, 7, 1))).as("after the last published session").isEmpty();
        assertThatThrownBy(() -> files("SOMEONEELSE", PolygonSimulator.FLATFILES_SECRET_KEY).day(LocalDate.of(2024, 6, 3)))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("flat-files endpoint " + simulator.baseUrl())
                .hasMessageContaining("403 InvalidAccessKeyId")
                .hasMessageContaining("POLYGON_FLATFILES_ACCESS_KEY_ID");
        assertThatThrownBy(() -> files(PolygonSimulator.FLATFILES_ACCESS_KEY, "wrong").day(LocalDate.of(2024, 6, 3)))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("SignatureDoesNotMatch");
    }

    @Test
    void aSessionsMinuteFileGivesOnlyTheSymbolsAskedForAsTheRangeEndpointServesThemUnadjustedWithoutVwap() {
        LocalDate day = LocalDate.of(2024, 6, 3);
        S3FlatFiles files = files(PolygonSimulator.FLATFILES_ACCESS_KEY, PolygonSimulator.FLATFILES_SECRET_KEY);
        Set<Ticker> asked = Set.of(Ticker.of("MSFT"), Ticker.of("SPY"), Ticker.of("NOSUCH"));
        List<MinuteBar> read = files.minutes(day, asked).orElseThrow();
        PolygonClient rest = new PolygonClient(HttpClient.newHttpClient(), new PolygonConfig(simulator.baseUrl(), "any", 0,
                Duration.ofSeconds(10), 2, Duration.ofMillis(5)), RequestThrottle.inProcess());
        List<MinuteBar> expected = java.util.stream.Stream.of("MSFT", "SPY")
                .flatMap(t -> rest.minuteBars(Ticker.of(t), new DateRange(day, day), false).stream())
                .map(m -> new MinuteBar(m.symbol(), m.start(), m.open(), m.high(), m.low(), m.close(), m.volume(), null,
                        m.transactions())).toList();
        assertThat(expected).hasSize(2 * 390);
        assertThat(read).isEqualTo(expected);
        assertThat(files.minutes(LocalDate.of(2024, 6, 1), asked)).as("a Saturday: NoSuchKey").isEmpty();
    }
}
