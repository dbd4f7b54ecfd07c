package dev.pricelake.core.progress;

import dev.pricelake.core.RunId;
import java.time.Instant;
import java.util.Objects;

/**
 * The lake's writer lease as the progress table holds it.
 *
 * @param epoch the attempt of the holding run that last renewed it; an older attempt can no longer renew
 */
public record Lease(RunId holder, int epoch, Instant acquiredAt, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean heldAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
