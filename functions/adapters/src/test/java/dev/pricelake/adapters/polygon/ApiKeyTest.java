package dev.pricelake.adapters.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.NotAuthorizedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:PolygonKey-abc";

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        private Instant now = Instant.parse("2026-01-05T11:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aCachedKeyIsReadAgainAfterItsTimeToLive() {
        Hands clock = new Hands();
        AtomicReference<String> stored = new AtomicReference<>("first");
        AtomicInteger reads = new AtomicInteger();
        ApiKey key = ApiKey.cached(() -> {
            reads.incrementAndGet();
            return stored.get();
        }, Duration.ofMinutes(5), clock);
        assertThat(reads).hasValue(0);
        assertThat(key.current()).isEqualTo("first");
        stored.set("rotated");
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(key.current()).as("still fresh").isEqualTo("first");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(key.current()).isEqualTo("rotated");
        assertThat(reads).hasValue(2);
    }

    @Test
    void reloadSaysWhetherThereIsANewKeyToTry() {
        AtomicReference<String> stored = new AtomicReference<>("first");
        ApiKey key = ApiKey.cached(stored::get, Duration.ofMinutes(5), new Hands());
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
