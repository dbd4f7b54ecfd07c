package dev.pricelake.core.bronze;

import dev.pricelake.core.MinuteBar;
import java.time.Instant;
import java.util.Objects;

/** A row of a minute bronze (or staging) file: a validated minute bar and when it entered the lake. */
public record MinuteRow(MinuteBar bar, Instant ingestedAt) {
    public MinuteRow {
        Objects.requireNonNull(bar, "bar");
        Objects.requireNonNull(ingestedAt, "ingestedAt");
    }
}
