package dev.pricelake.adapters.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A handler that reads the event as JSON and writes its result as JSON. Exceptions pass through untouched:
 * the Java runtime reports their class name as the errorType that the state machine's Retry and Catch match.
 */
public abstract class JsonHandler implements RequestStreamHandler {
    static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
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
