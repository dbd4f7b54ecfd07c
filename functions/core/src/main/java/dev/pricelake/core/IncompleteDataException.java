package dev.pricelake.core;

/**
 * The source answered, but not with everything it will have: a grouped-daily response for a past session that
 * is empty or lacks most symbols (not published yet). Retried later; such a session is never stored as empty.
 */
public final class IncompleteDataException extends RuntimeException {
    public IncompleteDataException(String message) {
        super(message);
    }
}
