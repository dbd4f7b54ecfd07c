package dev.pricelake.core.progress;

/** Where a ticker stands in a run. */
public enum TickerStatus {
    /** Not fetched yet. */
    PENDING,
    /** Its bars are in staging, not yet in bronze. */
    FETCHED,
    /** Its bars are in the lake. */
    SUCCEEDED,
    /** The API's rate limit stopped it; a resume fetches it again. */
    RATE_LIMITED,
    /** Something else stopped it (see the error); a resume tries again. */
    FAILED
}
