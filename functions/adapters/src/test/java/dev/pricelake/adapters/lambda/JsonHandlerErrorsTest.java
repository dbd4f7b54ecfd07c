package dev.pricelake.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.IncompleteDataException;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.TransientUpstreamException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors the state machine handles by design log no metric; any other logs UnexpectedErrors, which an alarm reads. */
class JsonHandlerErrorsTest {
    private final List<String> logged = new ArrayList<>();

    /** What the handler asks of Lambda's context: its function's name and its logger. */
    private final Context context = (Context) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Context.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getFunctionName" -> "pricelake-fetch-prices";
                case "getLogger" -> (LambdaLogger) new LambdaLogger() {
                    @Override
                    public void log(String message) {
                        logged.add(message);
                    }

                    @Override
                    public void log(byte[] message) {
                        logged.add(new String(message, StandardCharsets.UTF_8));
                    }
                };
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private static JsonHandler throwing(Supplier<RuntimeException> error) {
        return new JsonHandler() {
            @Override
            protected JsonNode handle(JsonNode event) {
                throw error.get();
            }
        };
    }

    private void invoke(JsonHandler handler, String event) throws Exception {
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                context);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate", "unpublished", "transient", "key", "input"})
    void errorsTheStateMachineHandlesByDesignPassThroughWithoutAMetric(String kind) {
        RuntimeException designed = switch (kind) {
            case "rate" -> new RateLimitedException("429");
            case "unpublished" -> new IncompleteDataException("not published yet");
            case "transient" -> new TransientUpstreamException("503", null);
            case "key" -> new NotAuthorizedException(NotAuthorizedException.Reason.BAD_KEY, "Unknown API Key");
            default -> new InvalidInputException("start", "is missing");
        };
        assertThatThrownBy(() -> invoke(throwing(() -> designed), "{}")).isSameAs(designed);
        assertThat(logged).isEmpty();
    }

    @Test
    void aDefectPassesThroughAndCountsOnceAsAnUnexpectedError() throws Exception {
        IllegalStateException defect = new IllegalStateException("session vanished from staging");
        assertThatThrownBy(() -> invoke(throwing(() -> defect), "{}")).isSameAs(defect);
        assertThat(logged).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(logged.getFirst());
        assertThat(line.get("UnexpectedErrors").asInt()).isEqualTo(1);
        assertThat(line.get("Function").asText()).isEqualTo("pricelake-fetch-prices");
        assertThat(line.get("error_type").asText()).isEqualTo("java.lang.IllegalStateException");
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("pricelake");
        assertThat(directive.get("Dimensions").toString()).as("the whole system's count and each function's")
                .isEqualTo("[[],[\"Function\"]]");
        assertThat(directive.get("Metrics").toString()).contains("\"Name\":\"UnexpectedErrors\"");
    }

    @Test
    void anEventThatIsNotJsonIsBadInputNotADefect() {
        assertThatThrownBy(() -> invoke(throwing(IllegalStateException::new), "not json"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(logged).isEmpty();
    }
}
