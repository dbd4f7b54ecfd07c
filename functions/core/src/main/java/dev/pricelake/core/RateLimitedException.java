package dev.pricelake.core;

/** The upstream API refused a request for exceeding its request rate (HTTP 429). Retried by the state machine. */
public final class RateLimitedException extends RuntimeException {
    public RateLimitedException(String message) {
        super(message);
    }
}
