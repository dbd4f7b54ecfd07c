package dev.pricelake.core;

/**
 * Bars adjusted one way would be merged into a file that holds bars adjusted another way (split-adjusted and
 * unadjusted): refused, so no file ever mixes the two. The message says which file and both ways.
 */
public final class MixedAdjustmentException extends RuntimeException {
    public MixedAdjustmentException(String message) {
        super(message);
    }
}
