package dev.pricelake.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ProgressStore} must do; each implementation runs these through a subclass. */
public abstract class ProgressStoreContract {
    private static final Instant NOW = Instant.parse("2026-01-05T11:00:00Z");
    private static final SplittableRandom RANDOM = new SplittableRandom();
    private static final Ticker A = Ticker.of("AAA");
    private static final Ticker B = Ticker.of("BBB");
    private static final Ticker C = Ticker.of("CCC");
    private RunId run;

    protected abstract ProgressStore store();

    @BeforeEach
    void newRun() {
        run = RunId.backfill(NOW, RANDOM);
        assertThat(store().createRun(record(run, List.of(A, B, C)), Map.of(A, 0, B, 0, C, 1))).isTrue();
    }

    private static List<Ticker> tickers(int count) {
        List<Ticker> many = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            many.add(Ticker.of("T" + i));
        }
        return many;
    }

    private static Map<Ticker, Integer> batchesOf(List<Ticker> tickers, int batchSize) {
        Map<Ticker, Integer> batches = new HashMap<>();
        for (int i = 0; i < tickers.size(); i++) {
            batches.put(tickers.get(i), i / batchSize);
        }
        return batches;
    }

    /** A new run of these tickers, in batches of this size. */
    private RunId largeRun(List<Ticker> tickers, int batchSize) {
        RunId id = RunId.backfill(NOW, RANDOM);
        assertThat(store().createRun(record(id, tickers), batchesOf(tickers, batchSize))).isTrue();
        return id;
    }

    private static RunRecord record(RunId id, List<Ticker> tickers) {
        return new RunRecord(id, "{\"mode\":\"backfill\"}", tickers, RunStatus.RUNNING, 0, NOW, null, Map.of(), null);
    }

    @Test
    void aNewRunHasEveryTickerPendingInOrder() {
        assertThat(store().run(run)).hasValueSatisfying(r -> {
            assertThat(r.tickers()).containsExactly(A, B, C);
            assertThat(r.input()).isEqualTo("{\"mode\":\"backfill\"}");
            assertThat(r.epoch()).isZero();
        });
        assertThat(store().tickers(run)).extracting(TickerProgress::ticker, TickerProgress::status, TickerProgress::batch)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, TickerStatus.PENDING, 0),
                        org.assertj.core.groups.Tuple.tuple(B, TickerStatus.PENDING, 0),
                        org.assertj.core.groups.Tuple.tuple(C, TickerStatus.PENDING, 1));
    }

    @Test
    void aRunRemembersTheExecutionThatCreatedItAcrossAttemptsAndItsEnd() {
        RunId created = RunId.backfill(NOW.plusSeconds(1), RANDOM);
        String execution = "arn:aws:states:us-east-1:000000000000:execution:pricelake-backfill:e1";
        assertThat(store().createRun(new RunRecord(created, "{}", List.of(A), RunStatus.RUNNING, 0, NOW, null, Map.of(), null,
                execution), Map.of())).isTrue();
        store().beginAttempt(created, NOW);
        store().finishRun(created, RunStatus.COMPLETE, Map.of(), null, NOW);
        RunRecord stored = store().run(created).orElseThrow();
        assertThat(stored.createdBy(execution)).isTrue();
        assertThat(stored.createdBy(execution + "-other")).isFalse();
        assertThat(store().run(run).orElseThrow().execution()).isNull();
    }

    @Test
    void runsAreListedNewestFirstWithTheirStatus() {
        RunId later = RunId.backfill(NOW.plusSeconds(60), RANDOM);
        store().createRun(new RunRecord(later, "{}", List.of(A), RunStatus.RUNNING, 0, NOW.plusSeconds(60), null, Map.of(),
                null), Map.of());
        store().finishRun(later, RunStatus.PARTIAL, Map.of("rate_limited", 1L), "stopped", NOW.plusSeconds(90));
        List<RunRecord> runs = store().runs();
        // The store may hold runs of other tests: these two are in order, the later first.
        List<RunId> ids = runs.stream().map(RunRecord::runId).filter(id -> id.equals(run) || id.equals(later)).toList();
        assertThat(ids).containsExactly(later, run);
        RunRecord listed = runs.stream().filter(r -> r.runId().equals(later)).findFirst().orElseThrow();
        assertThat(listed.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(listed.error()).isEqualTo("stopped");
        assertThat(listed.tickers()).containsExactly(A);
    }

    @Test
    void creatingAnExistingRunWritesNothing() {
        assertThat(store().createRun(record(run, List.of(A)), Map.of())).isFalse();
        assertThat(store().run(run).orElseThrow().tickers()).containsExactly(A, B, C);
    }

    @Test
    void unknownRunsAreEmptyOrNamed() {
        RunId unknown = RunId.backfill(NOW, RANDOM);
        assertThat(store().run(unknown)).isEmpty();
        assertThatThrownBy(() -> store().beginAttempt(unknown, NOW)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(unknown.value());
    }

    @Test
    void aTickerGoesFromClaimedToFetchedToSucceeded() {
        int epoch = store().beginAttempt(run, NOW);
        assertThat(epoch).isEqualTo(1);
        Claim claim = store().claim(run, A, epoch, 0, NOW);
        assertThat(claim.claimed()).isTrue();
        assertThat(claim.previousStatus()).isEqualTo(TickerStatus.PENDING);
        assertThat(store().markSucceeded(run, A, epoch, NOW)).as("not fetched yet").isFalse();
        assertThat(store().markFetched(run, A, epoch, 250, 2, NOW)).isTrue();
        assertThat(store().claim(run, A, epoch, 0, NOW).alreadyFetchedIn(epoch)).isTrue();
        assertThat(store().markSucceeded(run, A, epoch, NOW)).isTrue();
        assertThat(store().markSucceeded(run, A, epoch, NOW)).as("idempotent").isTrue();
        TickerProgress a = store().tickers(run, List.of(A)).getFirst();
        assertThat(a.status()).isEqualTo(TickerStatus.SUCCEEDED);
        assertThat(a.bars()).isEqualTo(250);
        assertThat(a.quarantined()).isEqualTo(2);
        assertThat(a.attempts()).isEqualTo(2);
        assertThat(store().claim(run, A, epoch, 0, NOW).claimed()).as("a SUCCEEDED ticker is never claimed").isFalse();
    }

    @Test
    void aNewerAttemptFencesOffTheOlderOne() {
        int first = store().beginAttempt(run, NOW);
        assertThat(store().claim(run, A, first, 0, NOW).claimed()).isTrue();
        int second = store().beginAttempt(run, NOW);
        assertThat(second).isEqualTo(first + 1);
        assertThat(store().claim(run, A, second, 0, NOW).claimed()).isTrue();
        assertThat(store().claim(run, A, first, 0, NOW).claimed()).isFalse();
        assertThat(store().markFetched(run, A, first, 10, 0, NOW)).isFalse();
        assertThat(store().markStopped(run, A, first, TickerStatus.FAILED, "late", NOW)).isFalse();
        assertThat(store().markFetched(run, A, second, 10, 0, NOW)).isTrue();
        assertThat(store().claim(run, A, second, 0, NOW).alreadyFetchedIn(second)).isTrue();
        assertThat(store().markSucceeded(run, A, first, NOW)).isFalse();
    }

    @Test
    void stoppedTickersKeepTheirErrorUntilTheyAreFetchedAgain() {
        int epoch = store().beginAttempt(run, NOW);
        assertThat(store().markStopped(run, B, epoch, TickerStatus.RATE_LIMITED, "429 from Polygon", NOW)).isTrue();
        TickerProgress b = store().tickers(run, List.of(B)).getFirst();
        assertThat(b.status()).isEqualTo(TickerStatus.RATE_LIMITED);
        assertThat(b.error()).isEqualTo("429 from Polygon");
        int next = store().beginAttempt(run, NOW);
        assertThat(store().claim(run, B, next, 0, NOW).previousStatus()).isEqualTo(TickerStatus.RATE_LIMITED);
        assertThat(store().markFetched(run, B, next, 5, 0, NOW)).isTrue();
        assertThat(store().tickers(run, List.of(B)).getFirst().error()).isNull();
        assertThat(store().markSucceeded(run, B, next, NOW)).isTrue();
        assertThat(store().markStopped(run, B, next, TickerStatus.FAILED, "too late", NOW)).as("never undo SUCCEEDED").isFalse();
        assertThatThrownBy(() -> store().markStopped(run, C, next, TickerStatus.SUCCEEDED, "x", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void finishingRecordsStatusCountsAndError() {
        store().beginAttempt(run, NOW);
        store().finishRun(run, RunStatus.FAILED, Map.of("succeeded", 1L, "failed", 2L), "bad key", NOW.plusSeconds(5));
        RunRecord done = store().run(run).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.counts()).containsEntry("failed", 2L).containsEntry("succeeded", 1L);
        assertThat(done.error()).isEqualTo("bad key");
        assertThat(done.finishedAt()).isEqualTo(NOW.plusSeconds(5));
        store().beginAttempt(run, NOW);
        store().finishRun(run, RunStatus.COMPLETE, Map.of(), null, NOW);
        assertThat(store().run(run).orElseThrow().error()).isNull();
        assertThat(store().run(run).orElseThrow().status()).isEqualTo(RunStatus.COMPLETE);
    }

    @Test
    void aBatchOfTickersIsMarkedSucceededEachUnderItsOwnCondition() {
        List<Ticker> many = tickers(230);
        RunId big = largeRun(many, 230);
        int first = store().beginAttempt(big, NOW);
        for (Ticker t : many) {
            assertThat(store().claim(big, t, first, 0, NOW).claimed()).isTrue();
        }
        List<Ticker> expected = new ArrayList<>();
        for (int i = 0; i < many.size(); i++) {
            Ticker t = many.get(i);
            if (i % 50 == 7) {
                continue; // claimed, never fetched: refused
            }
            assertThat(store().markFetched(big, t, first, i, 0, NOW)).isTrue();
            expected.add(t);
        }
        assertThat(store().markSucceeded(big, many.get(3), first, NOW)).isTrue(); // already SUCCEEDED: marked again
        // One ticker taken over by a newer attempt (and fetched there): this attempt may not mark it.
        int second = store().beginAttempt(big, NOW);
        Ticker takenOver = many.get(150);
        assertThat(store().claim(big, takenOver, second, 0, NOW).claimed()).isTrue();
        assertThat(store().markFetched(big, takenOver, second, 5, 0, NOW)).isTrue();
        expected.remove(takenOver);

        assertThat(store().markSucceeded(big, many, first, NOW)).as("across more than two transactions of 100")
                .containsExactlyElementsOf(expected);
        for (TickerProgress p : store().tickers(big, many)) {
            TickerStatus status = p.ticker().equals(takenOver) ? TickerStatus.FETCHED
                    : expected.contains(p.ticker()) ? TickerStatus.SUCCEEDED : TickerStatus.PENDING;
            assertThat(p.status()).as(p.ticker().value()).isEqualTo(status);
        }
        assertThat(store().markSucceeded(big, expected, first, NOW)).as("idempotent").containsExactlyElementsOf(expected);
        assertThat(store().markSucceeded(big, List.of(), first, NOW)).isEmpty();
    }

    @Test
    void aBatchOfTickersIsClaimedEachUnderItsOwnConditionAnsweringWhatEachWas() {
        List<Ticker> many = tickers(230);
        RunId big = largeRun(many, 230);
        int first = store().beginAttempt(big, NOW);
        Ticker succeeded = many.get(3);
        Ticker fetched = many.get(120);
        Ticker limited = many.get(200);
        for (Ticker t : List.of(succeeded, fetched)) {
            assertThat(store().claim(big, t, first, 0, NOW).claimed()).isTrue();
            assertThat(store().markFetched(big, t, first, 9, 0, NOW)).isTrue();
        }
        assertThat(store().markSucceeded(big, succeeded, first, NOW)).isTrue();
        assertThat(store().markStopped(big, limited, first, TickerStatus.RATE_LIMITED, "429", NOW)).isTrue();

        List<Claim> claims = store().claim(big, many, first, 4, NOW);
        assertThat(claims).hasSize(many.size());
        for (int i = 0; i < many.size(); i++) {
            Ticker t = many.get(i);
            Claim c = claims.get(i);
            if (t.equals(succeeded)) {
                assertThat(c.claimed()).as("a SUCCEEDED ticker is never claimed").isFalse();
            } else if (t.equals(fetched)) {
                assertThat(c.alreadyFetchedIn(first)).as(t.value()).isTrue();
            } else if (t.equals(limited)) {
                assertThat(c).as(t.value()).isEqualTo(new Claim(true, TickerStatus.RATE_LIMITED, first));
            } else {
                assertThat(c).as(t.value()).isEqualTo(new Claim(true, TickerStatus.PENDING, 0));
            }
        }
        assertThat(store().tickers(big, many)).allSatisfy(p -> {
            assertThat(p.attempts()).as(p.ticker().value()).isEqualTo(p.ticker().equals(succeeded) ? 1
                    : p.ticker().equals(fetched) ? 2 : 1);
            assertThat(p.epoch()).isEqualTo(first);
        });
        assertThat(store().tickers(big, List.of(many.get(50))).getFirst().batch()).isEqualTo(4);

        // A newer attempt takes one ticker over: the older attempt's batch claim is refused it and keeps the rest.
        int second = store().beginAttempt(big, NOW);
        Ticker takenOver = many.get(77);
        assertThat(store().claim(big, takenOver, second, 0, NOW).claimed()).isTrue();
        List<Claim> again = store().claim(big, many, first, 4, NOW);
        assertThat(again.get(77).claimed()).isFalse();
        assertThat(again.get(78)).isEqualTo(new Claim(true, TickerStatus.PENDING, first));
        assertThat(store().tickers(big, List.of(takenOver)).getFirst().epoch()).isEqualTo(second);
        List<Claim> newer = store().claim(big, many, second, 4, NOW);
        assertThat(newer.get(77)).isEqualTo(new Claim(true, TickerStatus.PENDING, second));
        assertThat(newer.get(78)).isEqualTo(new Claim(true, TickerStatus.PENDING, first));
        assertThat(newer.get(3).claimed()).isFalse();
        assertThat(store().claim(big, List.of(), first, 0, NOW)).isEmpty();
    }

    @Test
    void concurrentBatchClaimsNeverLoseAnAttemptNorUndoANewerOne() throws Exception {
        List<Ticker> many = tickers(150);
        RunId big = largeRun(many, 150);
        int first = store().beginAttempt(big, NOW);
        int second = store().beginAttempt(big, NOW);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            // Two claimants of the older attempt race a newer attempt claiming ticker by ticker.
            java.util.concurrent.Future<List<Claim>> olderOne = pool.submit(() -> store().claim(big, many, first, 0, NOW));
            java.util.concurrent.Future<List<Claim>> olderTwo = pool.submit(() -> store().claim(big, many, first, 0, NOW));
            java.util.concurrent.Future<List<Claim>> newer = pool.submit(() -> many.stream()
                    .map(t -> store().claim(big, t, second, 0, NOW)).toList());
            List<Claim> byNewer = newer.get();
            List<Claim> byOne = olderOne.get();
            List<Claim> byTwo = olderTwo.get();
            assertThat(byNewer).allSatisfy(c -> assertThat(c.claimed()).isTrue());
            List<TickerProgress> after = store().tickers(big, many);
            for (int i = 0; i < many.size(); i++) {
                TickerProgress p = after.get(i);
                assertThat(p.epoch()).as("the newer attempt keeps " + p.ticker().value()).isEqualTo(second);
                int claimed = 1 + (byOne.get(i).claimed() ? 1 : 0) + (byTwo.get(i).claimed() ? 1 : 0);
                assertThat(p.attempts()).as("one attempt counted per claim of " + p.ticker().value()).isEqualTo(claimed);
                // Each claim answers what it overwrote: the newer attempt's claim saw the older one's or none.
                assertThat(byNewer.get(i).previousEpoch()).isIn(0, first);
                for (Claim c : List.of(byOne.get(i), byTwo.get(i))) {
                    if (c.claimed()) {
                        assertThat(c.previousEpoch()).as(p.ticker().value()).isIn(0, first);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchOfTickersIsMarkedFetchedEachUnderItsOwnCondition() {
        List<Ticker> many = tickers(230);
        RunId big = largeRun(many, 230);
        int first = store().beginAttempt(big, NOW);
        assertThat(store().claim(big, many, first, 0, NOW)).allSatisfy(c -> assertThat(c.claimed()).isTrue());
        Ticker succeeded = many.get(10);
        assertThat(store().markFetched(big, succeeded, first, 1, 0, NOW)).isTrue();
        assertThat(store().markSucceeded(big, succeeded, first, NOW)).isTrue();
        int second = store().beginAttempt(big, NOW);
        Ticker takenOver = many.get(180);
        assertThat(store().claim(big, takenOver, second, 0, NOW).claimed()).isTrue();
        List<ProgressStore.Fetched> marks = new ArrayList<>();
        for (int i = 0; i < many.size(); i++) {
            marks.add(new ProgressStore.Fetched(many.get(i), 100 + i, i % 3));
        }
        List<Ticker> expected = new ArrayList<>(many);
        expected.remove(succeeded);
        expected.remove(takenOver);

        assertThat(store().markFetched(big, marks, first, NOW)).as("across three transactions of 100")
                .containsExactlyElementsOf(expected);
        List<TickerProgress> after = store().tickers(big, many);
        for (int i = 0; i < many.size(); i++) {
            TickerProgress p = after.get(i);
            if (p.ticker().equals(succeeded)) {
                assertThat(p.status()).isEqualTo(TickerStatus.SUCCEEDED);
                assertThat(p.bars()).isEqualTo(1);
            } else if (p.ticker().equals(takenOver)) {
                assertThat(p.status()).isEqualTo(TickerStatus.PENDING);
                assertThat(p.epoch()).isEqualTo(second);
            } else {
                assertThat(p.status()).as(p.ticker().value()).isEqualTo(TickerStatus.FETCHED);
                assertThat(p.bars()).isEqualTo(100 + i);
                assertThat(p.quarantined()).isEqualTo(i % 3);
            }
        }
        assertThat(store().markFetched(big, marks.subList(0, 1), first, NOW)).containsExactly(many.getFirst());
        assertThat(store().markFetched(big, List.of(), first, NOW)).isEmpty();
    }

    @Test
    void handlesRunsLargerThanOneBatchWriteOrGet() {
        List<Ticker> many = tickers(260);
        RunId big = largeRun(many, 50);
        assertThat(store().tickers(big)).hasSize(260).extracting(TickerProgress::ticker).containsExactlyElementsOf(many);
        assertThat(store().tickers(big, many.subList(40, 230))).extracting(TickerProgress::ticker)
                .containsExactlyElementsOf(many.subList(40, 230));
        assertThat(store().tickers(big).get(259).batch()).isEqualTo(5);
    }

    @Test
    void extendingARunAddsPendingTickersAndReopensDoneOnes() {
        int epoch = store().beginAttempt(run, NOW);
        store().claim(run, A, epoch, 0, NOW);
        store().markFetched(run, A, epoch, 10, 0, NOW);
        store().markSucceeded(run, A, epoch, NOW);
        Ticker d = Ticker.of("DDD");
        store().extendRun(run, "{\"mode\":\"backfill\",\"replace\":{}}", List.of(d, B), List.of(A), Map.of(d, 2, A, 2), NOW);
        RunRecord extended = store().run(run).orElseThrow();
        assertThat(extended.tickers()).as("a ticker already in the run is not added twice").containsExactly(A, B, C, d);
        assertThat(extended.input()).contains("replace");
        assertThat(store().tickers(run)).extracting(TickerProgress::ticker, TickerProgress::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, TickerStatus.PENDING),
                        org.assertj.core.groups.Tuple.tuple(B, TickerStatus.PENDING),
                        org.assertj.core.groups.Tuple.tuple(C, TickerStatus.PENDING),
                        org.assertj.core.groups.Tuple.tuple(d, TickerStatus.PENDING));
        assertThat(store().tickers(run, List.of(d)).getFirst().batch()).isEqualTo(2);
        int next = store().beginAttempt(run, NOW);
        assertThat(store().claim(run, A, next, 2, NOW).claimed()).as("a reopened ticker is fetched again").isTrue();
    }

    @Test
    void oneRunHoldsTheWriterLeaseUntilItIsReleasedOrLapses() {
        Duration ttl = Duration.ofMinutes(20);
        RunId other = RunId.backfill(NOW, RANDOM);
        store().releaseLease(run);
        store().releaseLease(other);
        assertThat(store().acquireLease(run, NOW, ttl).holder()).isEqualTo(run);
        Lease refused = store().acquireLease(other, NOW.plusSeconds(60), ttl);
        assertThat(refused.holder()).as("the holder is named, nothing is taken").isEqualTo(run);
        assertThat(refused.expiresAt()).isEqualTo(NOW.plus(ttl));
        assertThat(store().acquireLease(run, NOW.plusSeconds(60), ttl).holder()).as("a resume takes its own lease").isEqualTo(run);

        assertThat(store().renewLease(run, 2, NOW.plusSeconds(120), ttl)).isTrue();
        assertThat(store().renewLease(run, 1, NOW.plusSeconds(130), ttl)).as("an older attempt is fenced off").isFalse();
        assertThat(store().renewLease(other, 5, NOW.plusSeconds(130), ttl)).isFalse();
        assertThat(store().lease()).hasValueSatisfying(l -> {
            assertThat(l.epoch()).isEqualTo(2);
            assertThat(l.expiresAt()).isEqualTo(NOW.plusSeconds(120).plus(ttl));
        });

        Instant lapsed = NOW.plusSeconds(120).plus(ttl).plusSeconds(1);
        assertThat(store().acquireLease(other, lapsed, ttl).holder()).as("a dead run's lease lapses").isEqualTo(other);
        assertThat(store().renewLease(run, 2, lapsed, ttl)).isFalse();
        store().releaseLease(run);
        assertThat(store().lease().orElseThrow().holder()).as("only the holder releases").isEqualTo(other);
        store().releaseLease(other);
        assertThat(store().lease()).isEmpty();
        assertThat(store().acquireLease(run, lapsed, ttl).holder()).isEqualTo(run);
        store().releaseLease(run);
    }
}
