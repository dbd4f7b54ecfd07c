package dev.pricelake.core.progress;

/**
 * The answer to a claim: whether this attempt now owns the ticker, and what the ticker was before, so a
 * retried batch can skip a ticker it already fetched.
 */
public record Claim(boolean claimed, TickerStatus previousStatus, int previousEpoch) {
    public boolean alreadyFetchedIn(int epoch) {
        return claimed && previousStatus == TickerStatus.FETCHED && previousEpoch == epoch;
    }
}
