package dev.pricelake.core.progress;

/** The state of a whole run. */
public enum RunStatus {
    RUNNING,
    /** Every ticker SUCCEEDED. */
    COMPLETE,
    /** Some tickers are RATE_LIMITED or unfinished and none FAILED: resume with the same run_id. */
    PARTIAL,
    /** Some tickers FAILED, or the run itself failed (bad key, bad input). */
    FAILED,
    /** Stopped on request (Ctrl-C) or found dead: what it finished is kept; resume with the same run_id. */
    INTERRUPTED
}
