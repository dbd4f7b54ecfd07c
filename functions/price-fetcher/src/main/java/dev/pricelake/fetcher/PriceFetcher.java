package dev.pricelake.fetcher;

import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.ValidatedBars;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.Claim;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.TickerStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * FetchPrices for one batch: each ticker's bars from one range call (all pages) or from the run's staged
 * grouped-daily sessions, validated, valid ones staged,
 * invalid ones quarantined, the ticker FETCHED. Each ticker is saved before the next is fetched, so a rate
 * limit that stops the batch loses nothing: the retried batch skips what this attempt already fetched.
 */
final class PriceFetcher {
    private final PriceSource source;
    private final SessionFetcher sessions;
    private final ProgressStore progress;
    private final Staging staging;
    private final BarValidator validator;
    private final Clock clock;

    PriceFetcher(PriceSource source, SessionFetcher sessions, ProgressStore progress, Staging staging,
            BarValidator validator, Clock clock) {
        this.source = source;
        this.sessions = sessions;
        this.progress = progress;
        this.staging = staging;
        this.validator = validator;
        this.clock = clock;
    }

    record Result(int fetched, int alreadyFetched, int skipped, int failed, long bars, long quarantined) {
    }

    /**
     * The whole batch, however long it takes (a local command). Rate limits and rejected keys propagate (the
     * state machine handles them); other ticker errors mark the ticker FAILED.
     */
    Result fetch(Batch batch) {
        return fetch(batch, Instant.MAX);
    }

    /**
     * As {@link #fetch(Batch)}, starting no ticker after {@code stopBy}: at the free plan's rate, shared by every
     * container, a large batch outlasts a Lambda invocation, so it stops in time with what it fetched saved, as a
     * rate limit, which the state machine retries after a pause; the retry goes on from the next ticker.
     */
    Result fetch(Batch batch, Instant stopBy) {
        int fetched = 0;
        int already = 0;
        int skipped = 0;
        int failed = 0;
        long bars = 0;
        long quarantined = 0;
        Function<Ticker, List<Bar>> barsOf = barsOf(batch);
        for (Ticker ticker : batch.tickers()) {
            if (clock.instant().isAfter(stopBy)) {
                throw new RateLimitedException("stopped before the function's time limit with " + (fetched + already)
                        + " of the batch's " + batch.tickers().size() + " tickers fetched; the rest wait for the rate limit");
            }
            Claim claim = progress.claim(batch.runId(), ticker, batch.epoch(), batch.batch(), clock.instant());
            if (!claim.claimed()) {
                skipped++;
                continue;
            }
            if (claim.alreadyFetchedIn(batch.epoch())) {
                already++;
                continue;
            }
            List<Bar> received;
            try {
                received = barsOf.apply(ticker);
            } catch (MalformedDataException | TransientUpstreamException e) {
                progress.markStopped(batch.runId(), ticker, batch.epoch(), TickerStatus.FAILED, e.getMessage(), clock.instant());
                failed++;
                continue;
            }
            ValidatedBars validated = validator.validate(received);
            Instant now = clock.instant();
            List<BronzeRow> rows = new ArrayList<>(validated.valid().size());
            for (Bar bar : validated.valid()) {
                rows.add(new BronzeRow(bar, now));
            }
            staging.writeBars(batch.runId(), ticker, rows);
            if (!validated.invalid().isEmpty()) {
                staging.writeQuarantine(batch.runId(), ticker, validated.invalid());
            } else if (claim.previousEpoch() > 0) {
                // An earlier attempt at this ticker may have quarantined bars this answer no longer has.
                staging.deleteQuarantine(batch.runId(), ticker);
            }
            progress.markFetched(batch.runId(), ticker, batch.epoch(), rows.size(), validated.invalid().size(), now);
            fetched++;
            bars += rows.size();
            quarantined += validated.invalid().size();
        }
        return new Result(fetched, already, skipped, failed, bars, quarantined);
    }

    /** Range calls ask per ticker; grouped batches read the staged sessions, once, when a ticker first needs them. */
    private Function<Ticker, List<Bar>> barsOf(Batch batch) {
        if (batch.fetch() == FetchMethod.RANGE) {
            return ticker -> source.dailyBars(ticker, batch.range(), batch.adjusted());
        }
        var staged = new Object() {
            Map<Ticker, List<Bar>> bars;
        };
        return ticker -> {
            if (staged.bars == null) {
                staged.bars = sessions.barsOf(batch);
            }
            return staged.bars.getOrDefault(ticker, List.of());
        };
    }
}
