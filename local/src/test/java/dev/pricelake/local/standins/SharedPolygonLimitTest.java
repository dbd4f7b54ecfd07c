package dev.pricelake.local.standins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import dev.pricelake.adapters.dynamodb.DynamoDbRequestLimit;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.limit.InProcessRequestLimit;
import dev.pricelake.core.limit.RequestLimit;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two FetchPrices containers (two Polygon clients, each with its own throttle, limit object and DynamoDB client)
 * against a simulator that allows 6 requests a minute. The oracle is the simulator's own count of the requests
 * it answered 429, outside the limiter. A control run beside it, with each container's throttle counting only its
 * own requests (as before the limit moved into the table), shows the oracle does see requests over the limit.
 */
class SharedPolygonLimitTest {
    private static final int PER_MINUTE = 6;
    private static final int CALLS_PER_CONTAINER = 4;
    private static final DateRange MONTH = DateRange.parse("2025-05-01", "2025-05-30");
    @TempDir
    Path root;

    private record Outcome(int answered, int rateLimited) {
    }

    @Test
    void twoContainersSharingTheLimitInTheProgressTableSendNothingOverIt() throws Exception {
        SyntheticMarket market = new SyntheticMarket(11, 40, LocalDate.of(2025, 6, 30), TradingCalendar.nyse());
        List<Ticker> tickers = market.listings().stream().map(SyntheticMarket.Listing::ticker).limit(2L * CALLS_PER_CONTAINER).toList();
        try (DynamoDbLocalProcess dynamo = DynamoDbLocalProcess.start(root.resolve("dynamodb"), root.resolve("logs/dynamodb.log"));
             DynamoDbClient containerOne = DynamoDbProgressStore.endpointClient(dynamo.endpoint());
             DynamoDbClient containerTwo = DynamoDbProgressStore.endpointClient(dynamo.endpoint());
             PolygonSimulator shared = PolygonSimulator.start(market, limited(), 0);
             PolygonSimulator control = PolygonSimulator.start(market, limited(), 0)) {
            new DynamoDbProgressStore(containerOne, "pricelake-progress").createTableIfMissing();
            CompletableFuture<Outcome> withTable = run(shared, tickers,
                    () -> new DynamoDbRequestLimit(containerOne, "pricelake-progress"),
                    () -> new DynamoDbRequestLimit(containerTwo, "pricelake-progress"));
            CompletableFuture<Outcome> eachOnItsOwn = run(control, tickers, InProcessRequestLimit::new, InProcessRequestLimit::new);

            Outcome sharing = withTable.get();
            assertThat(sharing.answered()).isEqualTo(2 * CALLS_PER_CONTAINER);
            assertThat(sharing.rateLimited()).isZero();
            assertThat(shared.rateLimitedCount()).as("429s the simulator sent").isZero();
            assertThat(shared.requestCounts()).containsEntry("range", 2L * CALLS_PER_CONTAINER);

            Outcome separate = eachOnItsOwn.get();
            assertThat(control.rateLimitedCount()).as("per-container throttles together go over").isPositive();
            assertThat(separate.rateLimited()).isEqualTo((int) control.rateLimitedCount());
        }
    }

    private static PolygonSimulator.Options limited() {
        return new PolygonSimulator.Options(PER_MINUTE, 0, 0, null, 0);
    }

    /** Both containers fetch at once, each through a limit object of its own. */
    private static CompletableFuture<Outcome> run(PolygonSimulator simulator, List<Ticker> tickers,
            Supplier<RequestLimit> one, Supplier<RequestLimit> two) {
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger rateLimited = new AtomicInteger();
        List<CompletableFuture<Void>> containers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            PolygonClient client = container(simulator, (c == 0 ? one : two).get());
            List<Ticker> mine = tickers.subList(c * CALLS_PER_CONTAINER, (c + 1) * CALLS_PER_CONTAINER);
            containers.add(CompletableFuture.runAsync(() -> {
                for (Ticker ticker : mine) {
                    try {
                        client.dailyBars(ticker, MONTH, true);
                        answered.incrementAndGet();
                    } catch (RateLimitedException e) {
                        rateLimited.incrementAndGet();
                    }
                }
            }, runnable -> Thread.ofPlatform().start(runnable)));
        }
        return CompletableFuture.allOf(containers.toArray(CompletableFuture[]::new))
                .thenApply(done -> new Outcome(answered.get(), rateLimited.get()));
    }

    private static PolygonClient container(PolygonSimulator simulator, RequestLimit limit) {
        PolygonConfig config = new PolygonConfig(simulator.baseUrl(), "local-simulator", PER_MINUTE, Duration.ofSeconds(10), 1,
                Duration.ofMillis(10));
        return new PolygonClient(HttpClient.newHttpClient(), config, new RequestThrottle(limit, (wait, perMinute) -> { }));
    }
}
