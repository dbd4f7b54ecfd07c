package dev.pricelake.selector;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.RunId;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.progress.Batch;
import java.util.List;
import java.util.Optional;

/**
 * What SelectTickers hands the state machine: the batches of tickers still to do in this attempt and where their
 * list is in the lake (only the key travels through the state machine), the sessions to stage first when some
 * batches are fetched by grouped-daily calls, and how the calls were chosen. {@code done}: the run needs nothing
 * more (a repeated daily trigger, a day with nothing to fetch). {@code requestsPerMinute}: the run's own Polygon
 * rate, or null for the deployment's. {@code upkeep}: what the run learned of corporate actions and which histories
 * it fetches again. {@code flatFilesKey}: where the list of flat files to stage is, when the sessions come from them.
 */
record Selection(RunId runId, int epoch, boolean resumed, int tickers, int maxConcurrency, List<Batch> batches,
                 String batchesKey, Optional<SessionFetch> sessions, Optional<String> flatFilesKey, List<FetchPlan> plans,
                 boolean done, String message, Integer requestsPerMinute, Optional<LakeUpkeep.Work> upkeep) {
    Selection {
        batches = List.copyOf(batches);
        plans = List.copyOf(plans);
    }

    /**
     * The grouped-daily sessions FetchSessions stages for the run before its batches.
     *
     * @param flatFiles the sessions come from the flat files (grouped daily where a file is missing)
     */
    record SessionFetch(DateRange range, boolean adjusted, int expectedSymbols, boolean flatFiles) {
    }

    static Selection done(RunId runId, String message) {
        return new Selection(runId, 0, false, 0, 1, List.of(), null, Optional.empty(), Optional.empty(), List.of(), true,
                message, null, Optional.empty());
    }
}
