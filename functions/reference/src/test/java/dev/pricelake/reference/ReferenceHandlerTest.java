package dev.pricelake.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ReferenceSource.ListedTicker;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.reference.InMemoryCacheEntryStore;
import dev.pricelake.core.reference.InMemorySymbolStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Lambda handler as the schedule invokes it: its input, its time budget, its answer. */
class ReferenceHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);
    private final InMemorySymbolStore symbols = new InMemorySymbolStore();
    private final InMemoryCacheEntryStore entries = new InMemoryCacheEntryStore();
    private final List<String> logged = new ArrayList<>();

    private ReferenceHandler handler() {
        List<ListedTicker> listed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            listed.add(new ListedTicker(Ticker.of("T" + i), "Company " + i, i % 5 == 0 ? "ETF" : "CS", "XNYS", true));
        }
        return new ReferenceHandler(new InMemoryReferenceSource(listed), symbols, entries, new InMemoryProgressStore(),
                new InMemoryObjectStore(), ReferenceSettings.defaults(), CLOCK, logged::add);
    }

    /** A Lambda context with this much time left; its logger collects the lines. */
    private Context context(int remainingMillis) {
        return new Context() {
            public String getAwsRequestId() {
                return "req";
            }

            public String getLogGroupName() {
                return "/aws/lambda/pricelake-reference";
            }

            public String getLogStreamName() {
                return "s";
            }

            public String getFunctionName() {
                return "pricelake-reference";
            }

            public String getFunctionVersion() {
                return "1";
            }

            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:us-east-1:1:function:pricelake-reference:live";
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return remainingMillis;
            }

            public int getMemoryLimitInMB() {
                return 2048;
            }

            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) {
                        logged.add(message.strip());
                    }

                    public void log(byte[] message) {
                        log(new String(message, StandardCharsets.UTF_8));
                    }
                };
            }
        };
    }

    private JsonNode invoke(ReferenceHandler handler, String event, Context context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return JSON.readTree(out.toByteArray());
    }

    private static String scheduled() throws Exception {
        try (InputStream in = ReferenceHandlerTest.class.getResourceAsStream("/events/reference-scheduled.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theScheduledInputRefreshesThenRebuilds() throws Exception {
        JsonNode out = invoke(handler(), scheduled(), context(900_000));
        assertThat(out.at("/refresh/status").asText()).isEqualTo("COMPLETE");
        assertThat(out.at("/refresh/details_fetched").asInt()).isEqualTo(30);
        assertThat(out.at("/rebuild/mode").asText()).isEqualTo("replace");
        assertThat(out.at("/rebuild/symbols").asInt()).isEqualTo(30);
        assertThat(entries.members(new dev.pricelake.core.reference.CacheEntry.Id("etf_universe", "complete", "all_etfs")))
                .contains(List.of("T0", "T10", "T15", "T20", "T25", "T5"));
        assertThat(logged).anyMatch(l -> l.startsWith("30 symbols need ticker details"));
    }

    @Test
    void aShortTimeBudgetLeavesTheRestToTheNextInvocation() throws Exception {
        ReferenceHandler handler = handler();
        JsonNode first = invoke(handler, scheduled(), context((int) ReferenceHandler.AFTER_DETAILS.toMillis() - 1));
        assertThat(first.at("/refresh/status").asText()).isEqualTo("PARTIAL");
        assertThat(first.at("/refresh/stopped_by").asText()).isEqualTo("the time budget ran out");
        assertThat(first.at("/refresh/remaining").asInt()).isEqualTo(30);
        assertThat(first.at("/rebuild/entries").asInt()).as("the universes are rebuilt from what is known").isPositive();

        JsonNode second = invoke(handler, "{}", context(900_000));
        assertThat(second.at("/refresh/resumed").asBoolean()).isTrue();
        assertThat(second.at("/refresh/run_id").asText()).isEqualTo(first.at("/refresh/run_id").asText());
        assertThat(second.at("/refresh/status").asText()).isEqualTo("COMPLETE");
        assertThat(second.at("/refresh/details_fetched").asInt()).isEqualTo(30);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> handler().invoke(JSON.readTree("{\"refresh\": true, \"colour\": 1}")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("colour: is not a known field");
        assertThatThrownBy(() -> handler().invoke(JSON.readTree("{\"types\": \"stocks\"}")))
                .hasMessageStartingWith("types: 'stocks' is not a Polygon ticker type");
        assertThatThrownBy(() -> handler().invoke(JSON.readTree("{\"append\": \"yes\"}")))
                .hasMessageStartingWith("append: must be true or false");
    }
}
