package dev.pricelake.core;

import java.util.List;
import java.util.Objects;

/** A bar kept out of the lake, with every reason it failed validation. */
public record InvalidBar(Bar bar, List<String> reasons) {
    public InvalidBar {
        Objects.requireNonNull(bar, "bar");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("an invalid bar needs at least one reason");
        }
    }
}
