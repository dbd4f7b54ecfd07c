package dev.pricelake.core;

/**
 * Another run holds the lake's writer lease: only one run writes the lake at a time. The state machine waits and
 * tries again a few times; the message names the run that holds the lease and when its lease lapses.
 */
public final class LakeBusyException extends RuntimeException {
    public LakeBusyException(String message) {
        super(message);
    }
}
