package dev.pricelake.adapters.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.limit.InProcessRequestLimit;
import dev.pricelake.core.limit.RequestLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestThrottleTest {
    private static final Instant T0 = Instant.parse("2026-01-05T11:00:00Z");
    private final List<Duration> slept = new ArrayList<>();
    private final List<String> told = new ArrayList<>();

    /** A throttle whose clock stands still and whose sleeps are recorded, as a container with its own objects. */
    private RequestThrottle container(RequestLimit shared) {
        return new RequestThrottle(shared, Clock.fixed(T0, ZoneOffset.UTC), slept::add,
                (wait, perMinute) -> told.add(wait.toMillis() + " ms at " + perMinute));
    }

    @Test
    void fiveAMinuteWaitsAFifthOfTheWindowBetweenRequestsAndSaysSo() {
        RequestThrottle throttle = container(new InProcessRequestLimit());
        throttle.acquire("api.polygon.io", 5);
        assertThat(slept).isEmpty();
        throttle.acquire("api.polygon.io", 5);
        assertThat(slept).containsExactly(Duration.ofMillis(12_200));
        assertThat(told).containsExactly("12200 ms at 5");
    }

    @Test
    void twoContainersSharingTheLimitWaitForEachOther() {
        RequestLimit table = new InProcessRequestLimit();
        RequestThrottle one = container(table);
        RequestThrottle two = container(table);
        one.acquire("api.polygon.io", 5);
        two.acquire("api.polygon.io", 5);
        one.acquire("api.polygon.io", 5);
        assertThat(slept).containsExactly(Duration.ofMillis(12_200), Duration.ofMillis(24_400));
    }

    @Test
    void zeroMeansNoLimitAndANegativeRateIsRefused() {
        RequestThrottle throttle = container((key, spacing, clock) -> {
            throw new AssertionError("no limit books nothing");
        });
        for (int i = 0; i < 10; i++) {
            throttle.acquire("api.polygon.io", 0);
        }
        assertThat(slept).isEmpty();
        assertThatThrownBy(() -> throttle.acquire("api.polygon.io", -1)).hasMessageContaining("not -1");
    }

    @Test
    void aWaitUnderASecondIsNotWorthALogLine() {
        RequestThrottle throttle = container(new InProcessRequestLimit());
        throttle.acquire("api.polygon.io", 600);
        throttle.acquire("api.polygon.io", 600);
        assertThat(slept).containsExactly(Duration.ofMillis(102));
        assertThat(told).isEmpty();
    }
}
