package dev.pricelake.adapters.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.MovableClock;
import dev.pricelake.core.NotAuthorizedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:PolygonKey-abc";

    @Test
    void aCachedKeyIsReadAgainAfterItsTimeToLive() {
        MovableClock clock = new MovableClock("2026-01-05T11:00:00Z");
        AtomicReference<String> stored = new AtomicReference<>("first");
        AtomicInteger reads = new AtomicInteger();
        ApiKey key = ApiKey.cached(() -> {
            reads.incrementAndGet();
            return stored.get();
        }, Duration.ofMinutes(5), clock);
        assertThat(reads).hasValue(0);
        assertThat(key.current()).isEqualTo("first");
        stored.set("rotated");
        clock.advance(Duration.ofMinutes(4));
        assertThat(key.current()).as("still fresh").isEqualTo("first");
        clock.advance(Duration.ofMinutes(1));
        assertThat(key.current()).isEqualTo("rotated");
        assertThat(reads).hasValue(2);
    }

    @Test
    void reloadSaysWhetherThereIsANewKeyToTry() {
        AtomicReference<String> stored = new AtomicReference<>("first");
        ApiKey key = ApiKey.cached(stored::get, Duration.ofMinutes(5), new MovableClock("2026-01-05T11:00:00Z"));
        key.current();
        assertThat(key.reload()).as("the same key again").isFalse();
        stored.set("second");
        assertThat(key.reload()).isTrue();
        assertThat(key.current()).isEqualTo("second");
        assertThat(ApiKey.fixed("k").reload()).isFalse();
    }

    @Test
    void theSecretIsAPlainKeyOrJsonWithAnApiKey() {
        assertThat(SecretsManagerApiKey.parse(ARN, "  plain-key \n")).isEqualTo("plain-key");
        assertThat(SecretsManagerApiKey.parse(ARN, "{\"api_key\": \"json-key\", \"unused\": \"x\"}")).isEqualTo("json-key");
    }

    @Test
    void theSecretAsTheStackCreatesItSaysHowToSetTheKey() {
        assertThatThrownBy(() -> SecretsManagerApiKey.parse(ARN, "{\"api_key\":\"\",\"unused\":\"Zx81\"}"))
                .isInstanceOfSatisfying(NotAuthorizedException.class,
                        e -> assertThat(e.reason()).isEqualTo(NotAuthorizedException.Reason.NO_KEY))
                .hasMessageContaining("no API key is set")
                .hasMessageContaining("aws secretsmanager put-secret-value --secret-id " + ARN);
        assertThatThrownBy(() -> SecretsManagerApiKey.parse(ARN, null)).hasMessageContaining("has no api_key yet");
        assertThatThrownBy(() -> SecretsManagerApiKey.parse(ARN, "{not json"))
                .hasMessageContaining("neither a key nor JSON").hasMessageNotContaining("not json");
    }
}
