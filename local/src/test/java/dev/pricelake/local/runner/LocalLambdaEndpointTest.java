package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.RateLimitedException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalLambdaEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> results = new ArrayList<>();
    private LocalLambdaEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        RequestStreamHandler echo = (in, out, context) -> out.write(("{\"got\":" + new String(in.readAllBytes()) + ",\"by\":\""
                + context.getFunctionName() + "\"}").getBytes(StandardCharsets.UTF_8));
        RequestStreamHandler limited = (in, out, context) -> {
            throw new RateLimitedException("Polygon rate limit reached");
        };
        endpoint = LocalLambdaEndpoint.start(Map.of("echo", echo, "limited", limited),
                (function, output) -> results.add(function + " " + new String(output, StandardCharsets.UTF_8)),
                java.nio.file.Files.createTempDirectory("endpoint").resolve("functions.log"));
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> invoke(String functionNameOrArn, String payload) throws Exception {
        URI uri = URI.create(endpoint.url() + "/2015-03-31/functions/"
                + URLEncoder.encode(functionNameOrArn, StandardCharsets.UTF_8) + "/invocations");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void invokesByNameOrArnAndReturnsTheOutput() throws Exception {
        HttpResponse<String> byArn = invoke(LocalLambdaEndpoint.arn("echo"), "{\"a\":1}");
        assertThat(byArn.statusCode()).isEqualTo(200);
        assertThat(byArn.headers().firstValue("X-Amz-Function-Error")).isEmpty();
        assertThat(JSON.readTree(byArn.body()).at("/got/a").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(byArn.body()).get("by").asText()).isEqualTo("echo");
        assertThat(invoke("echo", "{}").statusCode()).isEqualTo(200);
        assertThat(results).hasSize(2).allMatch(r -> r.startsWith("echo "));
    }

    @Test
    void anUncaughtExceptionIsReportedAsTheJavaRuntimeReportsIt() throws Exception {
        HttpResponse<String> response = invoke(LocalLambdaEndpoint.arn("limited"), "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("errorType").asText()).isEqualTo("dev.pricelake.core.RateLimitedException");
        assertThat(body.get("errorMessage").asText()).isEqualTo("Polygon rate limit reached");
        assertThat(body.get("stackTrace").isArray()).isTrue();
        assertThat(results).isEmpty();
    }

    @Test
    void anUnknownFunctionIsNotFound() throws Exception {
        HttpResponse<String> response = invoke("nope", "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    }
}
