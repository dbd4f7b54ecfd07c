package dev.pricelake.adapters.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.IncompleteDataException;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.TransientUpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;

/**
 * A handler that reads the event as JSON and writes its result as JSON. Exceptions pass through untouched:
 * the Java runtime reports their class name as the errorType that the state machine's Retry and Catch match.
 * Those the design expects (rate limits and unpublished days the state machine retries, bad input and
 * rejected keys that fail the run with their message) are part of the flow; any other is a defect and is also
 * counted as the metric {@code UnexpectedErrors}, which an alarm watches, so routine retries never page anyone.
 */
public abstract class JsonHandler implements RequestStreamHandler {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String UNEXPECTED_ERRORS = "UnexpectedErrors";
    private static final Set<Class<? extends RuntimeException>> EXPECTED = Set.of(RateLimitedException.class,
            IncompleteDataException.class, TransientUpstreamException.class, NotAuthorizedException.class,
            InvalidInputException.class);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try {
            JsonNode event;
            try {
                event = JSON.readTree(input);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("event", "is not valid JSON: " + e.getOriginalMessage());
            }
            if (event == null || !event.isObject()) {
                throw new InvalidInputException("event", "must be a JSON object");
            }
            JSON.writeValue(output, handle(event, context));
        } catch (RuntimeException | IOException | Error e) {
            if (unexpected(e) && context != null) {
                context.getLogger().log(unexpectedErrorMetric(context.getFunctionName(), e, System.currentTimeMillis()) + "\n");
            }
            throw e;
        }
    }

    static boolean unexpected(Throwable e) {
        return EXPECTED.stream().noneMatch(expected -> expected.isInstance(e));
    }

    /** One unexpected error: the metric, by function too, and the error's type for Logs Insights. */
    static String unexpectedErrorMetric(String function, Throwable e, long timestampMillis) {
        return Metrics.line(Map.of(UNEXPECTED_ERRORS, 1L), Map.of("Function", function),
                Map.of("error_type", e.getClass().getName()), timestampMillis);
    }

    /** Runs the handler in this process (the local commands), without a Lambda context or a JSON round trip. */
    public final JsonNode invoke(JsonNode event) {
        return handle(event, null);
    }

    /** Handlers that log (metrics, say) override this one; the context may be null outside Lambda. */
    protected JsonNode handle(JsonNode event, Context context) {
        return handle(event);
    }

    protected abstract JsonNode handle(JsonNode event);
}
