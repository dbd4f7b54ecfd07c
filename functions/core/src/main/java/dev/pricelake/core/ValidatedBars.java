package dev.pricelake.core;

import java.util.List;

/** Bars split by validation: every input bar is in exactly one of the two lists. */
public record ValidatedBars(List<Bar> valid, List<InvalidBar> invalid) {
    public ValidatedBars {
        valid = List.copyOf(valid);
        invalid = List.copyOf(invalid);
    }
}
