package dev.pricelake.core;

/** The object store refused an operation for a reason retrying will not fix (no bucket, access denied). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
