package dev.pricelake.selector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MentionsSource;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Starts a run (choose tickers, record them PENDING) or resumes one, and batches the tickers still to do. */
final class TickerSelector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProgressStore progress;
    private final ReferenceSource reference;
    private final Optional<MentionsSource> mentions;
    private final Clock clock;
    private final RandomGenerator random;

    TickerSelector(ProgressStore progress, ReferenceSource reference, Optional<MentionsSource> mentions, Clock clock,
            RandomGenerator random) {
        this.progress = progress;
        this.reference = reference;
        this.mentions = mentions;
        this.clock = clock;
        this.random = random;
    }

    Selection select(BackfillRequest request) {
        return request.isResume() ? resume(request) : start(request);
    }

    private Selection start(BackfillRequest request) {
        List<Ticker> tickers = resolve(request.selection());
        if (tickers.isEmpty()) {
            throw new InvalidInputException("selection", "selects no tickers");
        }
        RunId runId = RunId.backfill(clock.instant(), random);
        Map<Ticker, Integer> batchOf = new HashMap<>();
        for (int i = 0; i < tickers.size(); i++) {
            batchOf.put(tickers.get(i), i / request.batchSize());
        }
        RunRecord run = new RunRecord(runId, request.toJson().toString(), tickers, RunStatus.RUNNING, 0,
                clock.instant(), null, Map.of(), null);
        if (!progress.createRun(run, batchOf)) {
            throw new IllegalStateException("run " + runId + " already exists");
        }
        int epoch = progress.beginAttempt(runId, clock.instant());
        return selection(runId, epoch, false, tickers, request.range(), request.adjusted(), request.asOf(),
                request.batchSize(), request.maxConcurrency());
    }

    private Selection resume(BackfillRequest request) {
        RunRecord run = progress.run(request.runId()).orElseThrow(() -> new InvalidInputException("run_id",
                "no run " + request.runId() + " in the progress table: check the run_id, or start a new run"));
        BackfillRequest original = stored(run);
        int epoch = progress.beginAttempt(run.runId(), clock.instant());
        List<Ticker> remaining = progress.tickers(run.runId()).stream()
                .filter(t -> t.status() != TickerStatus.SUCCEEDED)
                .map(TickerProgress::ticker)
                .toList();
        int batchSize = request.batchSizeGiven() ? request.batchSize() : original.batchSize();
        int concurrency = request.maxConcurrencyGiven() ? request.maxConcurrency() : original.maxConcurrency();
        LocalDate asOf = request.asOf() != null ? request.asOf() : original.asOf();
        return selection(run.runId(), epoch, true, remaining, original.range(), original.adjusted(), asOf, batchSize,
                concurrency);
    }

    private static BackfillRequest stored(RunRecord run) {
        try {
            return BackfillRequest.parse(JSON.readTree(run.input()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + run.runId() + " has an unreadable stored input", e);
        }
    }

    private static Selection selection(RunId runId, int epoch, boolean resumed, List<Ticker> tickers, DateRange range,
            boolean adjusted, LocalDate asOf, int batchSize, int maxConcurrency) {
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < tickers.size(); i += batchSize) {
            batches.add(new Batch(runId, epoch, i / batchSize, tickers.subList(i, Math.min(tickers.size(), i + batchSize)),
                    range, adjusted, asOf));
        }
        return new Selection(runId, epoch, resumed, tickers.size(), maxConcurrency, batches);
    }

    private List<Ticker> resolve(BackfillRequest.Selection selection) {
        return switch (selection) {
            case BackfillRequest.Selection.Tickers t -> t.tickers();
            case BackfillRequest.Selection.Universe u -> reference.tickers(new ReferenceSource.TickerQuery(u.polygonType(), true))
                    .tickers().stream().map(ReferenceSource.ListedTicker::ticker).sorted().toList();
            case BackfillRequest.Selection.TopMentions m -> mentions.orElseThrow(() -> new InvalidInputException(
                    "selection.top_mentions", "needs the PostgreSQL mentions table, which this deployment does not have yet"))
                    .topMentioned(m.count(), m.minArticles());
        };
    }
}
