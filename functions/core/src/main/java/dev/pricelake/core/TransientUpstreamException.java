package dev.pricelake.core;

/** A failure that may pass by itself (5xx, timeout, reset connection), raised after the client's own retries. */
public final class TransientUpstreamException extends RuntimeException {
    public TransientUpstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
