package dev.pricelake.core;

/**
 * This execution no longer holds the lake's writer lease (it lapsed, or a newer attempt of the run took it), so
 * it must stop writing: whatever it has not written is left to the run that holds the lease.
 */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(String message) {
        super(message);
    }
}
