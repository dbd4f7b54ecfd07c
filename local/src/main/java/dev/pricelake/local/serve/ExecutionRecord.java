package dev.pricelake.local.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Set;

/**
 * One execution as DescribeExecution shows it, persisted under the data dir so it outlives {@code serve}. {@code runId}
 * is the pipeline's run (dates are epoch milliseconds) this execution created or resumed, once known.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ExecutionRecord(String name, String status, String input, String output, String error, String cause,
                       long startDate, Long stopDate, String runId) {
    static final String RUNNING = "RUNNING";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    static final String ABORTED = "ABORTED";
    private static final Set<String> STATUSES = Set.of(RUNNING, SUCCEEDED, FAILED, "TIMED_OUT", ABORTED, "PENDING_REDRIVE");

    ExecutionRecord {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("not an execution status: " + status);
        }
        if (name == null || input == null) {
            throw new IllegalArgumentException("an execution has a name, an input and a start date");
        }
    }

    static boolean isStatus(String status) {
        return STATUSES.contains(status);
    }

    boolean running() {
        return status.equals(RUNNING);
    }

    ExecutionRecord ended(String newStatus, String newOutput, String newError, String newCause, long at) {
        return new ExecutionRecord(name, newStatus, input, newOutput, newError, newCause, startDate, at, runId);
    }

    ExecutionRecord withRunId(String id) {
        return new ExecutionRecord(name, status, input, output, error, cause, startDate, stopDate, id);
    }
}
