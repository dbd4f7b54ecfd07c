package dev.pricelake.core;

/** A response or a stored file that cannot be parsed; the message names where it came from (never a secret). */
public final class MalformedDataException extends RuntimeException {
    public MalformedDataException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }

    public MalformedDataException(String source, String problem) {
        super(source + ": " + problem);
    }
}
