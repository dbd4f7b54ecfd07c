package dev.pricelake.core.bronze;

import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.progress.Batch;
import java.util.Map;

/**
 * A day batch's staged tickers as the steps after FetchPrices read them: from the batch's one file, read once
 * ({@link Batch#stagedAsOneFile()}), or from each ticker's own file. Safe for tickers read at once.
 */
public final class StagedDays {
    private final Staging staging;
    private final Batch batch;
    private Map<Ticker, BronzeFile> oneFile;

    StagedDays(Staging staging, Batch batch) {
        this.staging = staging;
        this.batch = batch;
    }

    /**
     * A ticker this attempt FETCHED: its staged rows and footer metadata. A ticker's own file that is missing reads as
     * an empty one; the batch's one file lists every ticker it staged, so a ticker it lacks is malformed data (the
     * ticker fails and a resume fetches it again).
     */
    public BronzeFile file(Ticker ticker) {
        if (!batch.stagedAsOneFile()) {
            return staging.readFile(batch.runId(), ticker);
        }
        BronzeFile file = oneFile().get(ticker);
        if (file == null) {
            throw new MalformedDataException(Staging.batchKey(batch),
                    "does not hold " + ticker + ", which this attempt marked FETCHED");
        }
        return file;
    }

    /** Read when a ticker first needs it, by whichever of the tickers merged at once asks first. */
    private synchronized Map<Ticker, BronzeFile> oneFile() {
        if (oneFile == null) {
            oneFile = staging.readBatch(batch);
        }
        return oneFile;
    }

    /** Where the ticker's staged bars are, for errors. */
    public String source(Ticker ticker) {
        return batch.stagedAsOneFile() ? Staging.batchKey(batch) + " (" + ticker + ")"
                : Staging.stagingKey(batch.runId(), ticker);
    }
}
