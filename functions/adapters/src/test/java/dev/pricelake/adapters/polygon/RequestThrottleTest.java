package dev.pricelake.adapters.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestThrottleTest {
    private static final long WINDOW = RequestThrottle.WINDOW.toNanos();

    @Test
    void letsNRequestsThroughThenWaitsForTheWindow() {
        AtomicLong now = new AtomicLong(1_000);
        List<Long> slept = new ArrayList<>();
        RequestThrottle throttle = new RequestThrottle(5, now::get, slept::add);
        for (int i = 0; i < 5; i++) {
            throttle.acquire();
        }
        assertThat(slept).isEmpty();
        throttle.acquire();
        assertThat(slept).containsExactly(WINDOW);
        now.addAndGet(WINDOW + 10);
        throttle.acquire();
        assertThat(slept).as("the second of the first five has left the window by now").hasSize(1);
    }

    @Test
    void threadsSharingOneThrottleNeverPutMoreThanNInAnyWindow() throws Exception {
        RequestThrottle throttle = new RequestThrottle(5, () -> 0L, nanos -> { });
        List<Long> slots = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    slots.add(throttle.reserve());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<Long> sorted = new ArrayList<>(slots);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(40);
        for (int i = 0; i + 5 < sorted.size(); i++) {
            assertThat(sorted.get(i + 5) - sorted.get(i)).isGreaterThanOrEqualTo(WINDOW);
        }
        assertThat(sorted.getLast()).isEqualTo(7 * WINDOW);
    }

    @Test
    void zeroMeansNoLimitAndOneThrottleIsSharedPerRate() {
        assertThat(RequestThrottle.shared(0).reserve()).isZero();
        assertThat(RequestThrottle.shared(5)).isSameAs(RequestThrottle.shared(5));
        assertThat(RequestThrottle.shared(5)).isNotSameAs(RequestThrottle.shared(100));
    }
}
