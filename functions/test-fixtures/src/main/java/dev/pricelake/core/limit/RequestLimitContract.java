package dev.pricelake.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link RequestLimit} must do; each implementation runs these through a subclass. */
public abstract class RequestLimitContract {
    private static final Instant T0 = Instant.parse("2026-01-05T11:00:00Z");
    private static final Clock AT_T0 = at(T0);
    private static final RequestSpacing FIVE_A_MINUTE = new RequestSpacing(5, Duration.ofSeconds(60));

    /** The limit as one process sees it. */
    protected abstract RequestLimit limit();

    /** The same limit as a second process (a second container) sees it, through its own client. */
    protected abstract RequestLimit fromAnotherProcess();

    private static Clock at(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    /** Keys are shared by every test of a store, so each test books under a key of its own. */
    private static String freshKey() {
        return "test-" + UUID.randomUUID();
    }

    @Test
    void theFirstRequestGoesAtOnceAndEachNextOneAnIntervalLater() {
        String key = freshKey();
        assertThat(limit().reserve(key, FIVE_A_MINUTE, AT_T0)).isEqualTo(T0);
        assertThat(limit().reserve(key, FIVE_A_MINUTE, AT_T0)).isEqualTo(T0.plusSeconds(12));
        assertThat(limit().reserve(key, FIVE_A_MINUTE, at(T0.plusSeconds(1)))).isEqualTo(T0.plusSeconds(24));
    }

    @Test
    void aQuietSpellEarnsNoBurst() {
        String key = freshKey();
        limit().reserve(key, FIVE_A_MINUTE, AT_T0);
        Instant later = T0.plus(Duration.ofHours(1));
        assertThat(limit().reserve(key, FIVE_A_MINUTE, at(later))).isEqualTo(later);
        assertThat(limit().reserve(key, FIVE_A_MINUTE, at(later))).isEqualTo(later.plusSeconds(12));
    }

    @Test
    void theSlotIsNeverBeforeTheTimeOfBooking() {
        String key = freshKey();
        limit().reserve(key, FIVE_A_MINUTE, AT_T0);
        Instant late = T0.plusSeconds(5);
        assertThat(limit().reserve(key, FIVE_A_MINUTE, at(late))).as("the queue is ahead of the clock").isEqualTo(T0.plusSeconds(12));
        Instant later = T0.plusSeconds(30);
        assertThat(limit().reserve(key, FIVE_A_MINUTE, at(later))).as("the clock is ahead of the queue").isEqualTo(later);
    }

    @Test
    void keysAreIndependent() {
        String one = freshKey();
        String two = freshKey();
        limit().reserve(one, FIVE_A_MINUTE, AT_T0);
        assertThat(limit().reserve(two, FIVE_A_MINUTE, AT_T0)).isEqualTo(T0);
    }

    @Test
    void twoProcessesShareOneLimit() {
        String key = freshKey();
        assertThat(limit().reserve(key, FIVE_A_MINUTE, AT_T0)).isEqualTo(T0);
        assertThat(fromAnotherProcess().reserve(key, FIVE_A_MINUTE, AT_T0)).isEqualTo(T0.plusSeconds(12));
        assertThat(limit().reserve(key, FIVE_A_MINUTE, AT_T0)).isEqualTo(T0.plusSeconds(24));
    }

    @Test
    void concurrentCallersFromTwoProcessesNeverPutMoreThanTheLimitInAnyWindow() throws Exception {
        String key = freshKey();
        List<Instant> slots = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            RequestLimit limit = t % 2 == 0 ? limit() : fromAnotherProcess();
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 6; i++) {
                    slots.add(limit.reserve(key, FIVE_A_MINUTE, AT_T0));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<Instant> sorted = new ArrayList<>(slots);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(24).doesNotHaveDuplicates();
        for (int i = 0; i + 5 < sorted.size(); i++) {
            assertThat(Duration.between(sorted.get(i), sorted.get(i + 5))).as("six requests span more than a minute")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        }
        assertThat(sorted.getLast()).as("and none waits longer than its place in the queue")
                .isEqualTo(T0.plusSeconds(23 * 12));
    }

    @Test
    void anIntervalThatDoesNotDivideTheWindowIsRoundedUp() {
        String key = freshKey();
        RequestSpacing sevenAMinute = new RequestSpacing(7, Duration.ofSeconds(60));
        List<Instant> slots = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slots.add(limit().reserve(key, sevenAMinute, AT_T0));
        }
        assertThat(Duration.between(slots.getFirst(), slots.getLast())).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
    }
}
