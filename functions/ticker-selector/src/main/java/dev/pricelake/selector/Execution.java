package dev.pricelake.selector;

import java.time.Instant;
import java.util.Objects;

/** The Step Functions execution a request comes from: its id ({@code $$.Execution.Id}) and start time. */
record Execution(String id, Instant startedAt) {
    Execution {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
