package dev.pricelake.core.bronze;

import dev.pricelake.core.Bar;
import java.time.Instant;
import java.util.Objects;

/** A row of a bronze (or staging) file: a validated bar and when it entered the lake. */
public record BronzeRow(Bar bar, Instant ingestedAt) {
    public BronzeRow {
        Objects.requireNonNull(bar, "bar");
        Objects.requireNonNull(ingestedAt, "ingestedAt");
    }
}
