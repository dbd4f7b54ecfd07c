package dev.pricelake.core.progress;

import dev.pricelake.core.LakeBusyException;
import dev.pricelake.core.LeaseLostException;
import dev.pricelake.core.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run writes the lake at a time. SelectTickers takes the lease for its run, every step that writes renews it
 * (at most once a minute per container), FinishRun and FailRun release it. A run that dies holds it for at most
 * {@link #TTL}: longer than any one Lambda invocation (15 minutes), so a live run always renews in time, short
 * enough that the next scheduled run is not lost to a dead one.
 */
public final class WriterLease {
    public static final Duration TTL = Duration.ofMinutes(20);
    private static final Duration RENEW_EVERY = Duration.ofMinutes(1);
    private final ProgressStore progress;
    private final Clock clock;
    private final Map<String, Instant> renewed = new ConcurrentHashMap<>();

    public WriterLease(ProgressStore progress, Clock clock) {
        this.progress = progress;
        this.clock = clock;
    }

    /** Takes the lease for the run, or says which run holds it. */
    public void take(RunId runId) {
        Instant now = clock.instant();
        Lease lease = progress.acquireLease(runId, now, TTL);
        if (!lease.holder().equals(runId)) {
            throw new LakeBusyException("run " + lease.holder() + " is writing the lake (its lease, taken at "
                    + lease.acquiredAt() + ", lapses at " + lease.expiresAt() + " unless it is renewed); start " + runId
                    + " when it has finished");
        }
    }

    /** Renews the lease for this attempt of the run, or stops the caller: it must not write any more. */
    public void hold(RunId runId, int epoch) {
        String key = runId + "#" + epoch;
        Instant now = clock.instant();
        Instant last = renewed.get(key);
        if (last != null && Duration.between(last, now).compareTo(RENEW_EVERY) < 0) {
            return;
        }
        if (!progress.renewLease(runId, epoch, now, TTL)) {
            renewed.remove(key);
            String holder = progress.lease().filter(l -> l.heldAt(now))
                    .map(l -> "run " + l.holder() + " (attempt " + l.epoch() + ") holds it").orElse("it has lapsed");
            throw new LeaseLostException("attempt " + epoch + " of run " + runId + " no longer holds the lake's writer"
                    + " lease (" + holder + "); it stops writing, and a resume of " + runId + " finishes its work");
        }
        renewed.put(key, now);
    }

    public void release(RunId runId) {
        renewed.keySet().removeIf(k -> k.startsWith(runId + "#"));
        progress.releaseLease(runId);
    }
}
