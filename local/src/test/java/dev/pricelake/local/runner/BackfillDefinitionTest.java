package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.local.standins.StandIns;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** statemachines/backfill.asl.json: what the local runner and CDK both load. */
class BackfillDefinitionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String definition() throws Exception {
        return Files.readString(StandIns.home("statemachines/backfill.asl.json"));
    }

    private static void collect(JsonNode node, String field, List<JsonNode> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals(field)) {
                    out.add(e.getValue());
                }
                collect(e.getValue(), field, out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, field, out));
        }
    }

    @Test
    void everyPlaceholderIsAFunctionOfTheCatalogOrTheLakeBucket() throws Exception {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z]+)}").matcher(definition());
        Set<String> used = new HashSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        Set<String> known = new HashSet<>(FunctionCatalog.byStatePlaceholder().keySet());
        known.add("LakeBucket");
        assertThat(used).containsExactlyInAnyOrderElementsOf(known);
        assertThat(LocalPipeline.substitutions().keySet()).containsExactlyInAnyOrderElementsOf(known);
    }

    @Test
    void everyJavaErrorItMatchesIsAClassOfOurs() throws Exception {
        List<JsonNode> matchers = new ArrayList<>();
        collect(JSON.readTree(definition()), "ErrorEquals", matchers);
        Set<String> javaErrors = new HashSet<>();
        matchers.forEach(list -> list.forEach(e -> {
            if (e.asText().startsWith("dev.pricelake.")) {
                javaErrors.add(e.asText());
            }
        }));
        assertThat(javaErrors).contains("dev.pricelake.core.RateLimitedException", "dev.pricelake.core.NotAuthorizedException",
                "dev.pricelake.core.TransientUpstreamException", "dev.pricelake.core.LakeBusyException");
        for (String name : javaErrors) {
            assertThat(RuntimeException.class.isAssignableFrom(Class.forName(name))).as(name).isTrue();
        }
    }

    @Test
    void theRateLimitRetryBacksOffWithFullJitterAndIsCaughtAfterwards() throws Exception {
        JsonNode fetch = JSON.readTree(definition()).at("/States/FetchBatches/ItemProcessor/States/FetchPrices");
        JsonNode retry = fetch.get("Retry").get(0);
        assertThat(retry.get("ErrorEquals").get(0).asText()).isEqualTo("dev.pricelake.core.RateLimitedException");
        assertThat(retry.get("BackoffRate").asDouble()).isGreaterThan(1);
        assertThat(retry.get("MaxDelaySeconds").asInt()).isPositive();
        assertThat(retry.get("JitterStrategy").asText()).isEqualTo("FULL");
        assertThat(fetch.get("Catch").get(0).get("Next").asText()).isEqualTo("MarkRateLimited");
        assertThat(fetch.get("Catch").get(1).get("Next").asText()).isEqualTo("RecordNotAuthorized");
    }

    @Test
    void substitutionReplacesEveryPlaceholderOrSaysWhichHasNoValue() throws Exception {
        Map<String, String> arns = new java.util.HashMap<>(LocalPipeline.substitutions());
        String substituted = StateMachineRunner.substitute(definition(), arns);
        assertThat(substituted).doesNotContain("${").contains(dev.pricelake.local.lambda.LocalLambda.arn("pricelake-fetch-prices"));
        arns.remove("FinishRunFunctionArn");
        assertThatThrownBy(() -> StateMachineRunner.substitute(definition(), arns))
                .hasMessageContaining("${FinishRunFunctionArn}");
    }
}
