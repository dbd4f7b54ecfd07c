package dev.pricelake.core;

/** No API key is set, the key was rejected, or the plan does not include the data. Never retried: a person must act. */
public final class NotAuthorizedException extends RuntimeException {
    public enum Reason { NO_KEY, BAD_KEY, NOT_ENTITLED, FLAT_FILES_REFUSED }

    private final Reason reason;

    public NotAuthorizedException(Reason reason, String upstreamMessage) {
        super(describe(reason) + ": " + upstreamMessage);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case NO_KEY -> "no API key is set";
            case BAD_KEY -> "the API key was rejected (check POLYGON_API_KEY or the secret)";
            case NOT_ENTITLED -> "the plan of this API key does not include the data asked for";
            case FLAT_FILES_REFUSED -> "the flat files' credentials were refused (check POLYGON_FLATFILES_ACCESS_KEY_ID and"
                    + " POLYGON_FLATFILES_SECRET_ACCESS_KEY, or the flat-files secret)";
        };
    }
}
