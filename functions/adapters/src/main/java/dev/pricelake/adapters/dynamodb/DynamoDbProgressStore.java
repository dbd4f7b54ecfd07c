package dev.pricelake.adapters.dynamodb;

import dev.pricelake.core.Concurrently;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.progress.Claim;
import dev.pricelake.core.progress.Lease;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The progress table of DESIGN.md: partition key {@code run_id}, sort key {@code item} ({@code RUN} or
 * {@code TICKER#SYMBOL}). Every ticker change is one conditional UpdateItem, so the table itself enforces
 * that only the newest attempt (epoch) of a run writes a ticker.
 */
public final class DynamoDbProgressStore implements ProgressStore {
    static final String RUN_ITEM = "RUN";
    static final String TICKER_PREFIX = "TICKER#";
    /** The lake's writer lease: one item of its own, in a partition no run id can name (ids never start with #). */
    static final Map<String, AttributeValue> LEASE_KEY = Map.of("run_id", s("#LEASE"), "item", s("WRITER"));
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int ITEM_WRITES_IN_FLIGHT = 8;
    private static final int BATCH_GET_LIMIT = 100;
    private static final int TRANSACTION_LIMIT = 100;
    private static final int TRANSACTION_RETRIES = 5;
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String CLAIM_UPDATE = "SET #s = if_not_exists(#s, :pending), epoch = :e, #b = :b,"
            + " attempts = if_not_exists(attempts, :zero) + :one, updated_at = :now";
    private static final String CLAIM_CONDITION = "(attribute_not_exists(#s) OR #s <> :succeeded)"
            + " AND (attribute_not_exists(epoch) OR epoch <= :e)";
    private static final String FETCHED_UPDATE = "SET #s = :fetched, bars = :bars, quarantined = :q, updated_at = :now REMOVE #err";
    private static final String FETCHED_CONDITION = "epoch = :e AND #s <> :succeeded";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbProgressStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * The client a Lambda function builds once per container: region and credentials from the environment, and
     * the endpoint when the environment names one (the local runner's DynamoDB Local).
     */
    public static DynamoDbClient defaultClient(Optional<URI> endpoint) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static DynamoDbClient endpointClient(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Creates the table as CDK does (locally; in AWS the stack owns it). Existing tables are left alone. */
    public void createTableIfMissing() {
        call("create table", () -> {
            try {
                dynamo.createTable(b -> b.tableName(table)
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName("run_id").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("item").attributeType(ScalarAttributeType.S).build())
                        .keySchema(
                                KeySchemaElement.builder().attributeName("run_id").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("item").keyType(KeyType.RANGE).build())
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (ResourceInUseException alreadyThere) {
                return null;
            }
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            return null;
        });
    }

    @Override
    public boolean createRun(RunRecord run, Map<Ticker, Integer> batchOf) {
        return call("create run " + run.runId(), () -> {
            Map<String, AttributeValue> header = new HashMap<>(key(run.runId(), RUN_ITEM));
            header.put("input", s(run.input()));
            header.put("ticker_list", s(String.join(",", run.tickers().stream().map(Ticker::value).toList())));
            header.put("tickers", n(run.tickers().size()));
            header.put("status", s(run.status().name()));
            header.put("epoch", n(run.epoch()));
            header.put("started_at", s(run.startedAt().toString()));
            if (run.execution() != null) {
                header.put("execution", s(run.execution()));
            }
            try {
                dynamo.putItem(b -> b.tableName(table).item(header).conditionExpression("attribute_not_exists(run_id)"));
            } catch (ConditionalCheckFailedException exists) {
                return false;
            }
            // The header lists every ticker, so a ticker whose item was never written still counts as PENDING.
            writeAll(run.tickers().stream().map(t -> pending(run.runId(), t, batchOf, run.startedAt())).toList());
            return true;
        });
    }

    private WriteRequest pending(RunId runId, Ticker ticker, Map<Ticker, Integer> batchOf, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(runId, TICKER_PREFIX + ticker.value()));
        item.put("status", s(TickerStatus.PENDING.name()));
        item.put("attempts", n(0));
        item.put("batch", n(batchOf.getOrDefault(ticker, 0)));
        item.put("epoch", n(0));
        item.put("updated_at", s(now.toString()));
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    /**
     * The items in BatchWriteItem calls of 25 (its limit), {@link #ITEM_WRITES_IN_FLIGHT} at a time: a whole market's
     * thousands of PENDING items are a hundred and more round trips, which need not wait for each other.
     */
    private void writeAll(List<WriteRequest> writes) {
        List<List<WriteRequest>> chunks = new ArrayList<>();
        for (int i = 0; i < writes.size(); i += BATCH_WRITE_LIMIT) {
            chunks.add(writes.subList(i, Math.min(writes.size(), i + BATCH_WRITE_LIMIT)));
        }
        Concurrently.forEach(chunks, ITEM_WRITES_IN_FLIGHT, this::batchWrite);
    }

    private void batchWrite(List<WriteRequest> chunk) {
        Map<String, List<WriteRequest>> pending = Map.of(table, chunk);
        for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty(); attempt++) {
            if (attempt > 0) {
                sleep(Math.min(2_000, 50L << attempt));
            }
            Map<String, List<WriteRequest>> request = pending;
            pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            if (attempt > 10) {
                throw new TransientUpstreamException("DynamoDB kept " + pending.get(table).size()
                        + " items of a batch write unprocessed", null);
            }
        }
    }

    @Override
    public Optional<RunRecord> run(RunId runId) {
        return call("get run " + runId, () -> {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(runId, RUN_ITEM))
                    .consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRun(runId, item));
        });
    }

    /** A scan for the run headers: the table is keyed by run, and a listing of runs is rare (a person looking). */
    @Override
    public List<RunRecord> runs() {
        return call("list runs", () -> dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                        .filterExpression("#i = :run").expressionAttributeNames(Map.of("#i", "item"))
                        .expressionAttributeValues(Map.of(":run", s(RUN_ITEM)))).items().stream()
                .map(item -> toRun(new RunId(item.get("run_id").s()), item))
                .sorted(Comparator.comparing(RunRecord::startedAt).reversed().thenComparing(r -> r.runId().value()))
                .toList());
    }

    @Override
    public int beginAttempt(RunId runId, Instant now) {
        return call("begin attempt of " + runId, () -> {
            try {
                UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key(runId, RUN_ITEM))
                        .updateExpression("SET epoch = epoch + :one, #s = :running REMOVE finished_at")
                        .conditionExpression("attribute_exists(run_id)")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":one", n(1), ":running", s(RunStatus.RUNNING.name())))
                        .returnValues(ReturnValue.UPDATED_NEW));
                return Integer.parseInt(r.attributes().get("epoch").n());
            } catch (ConditionalCheckFailedException missing) {
                throw new InvalidInputException("run_id", "no run " + runId + " in the progress table");
            }
        });
    }

    @Override
    public List<TickerProgress> tickers(RunId runId) {
        RunRecord run = run(runId).orElseThrow(() -> new InvalidInputException("run_id",
                "no run " + runId + " in the progress table"));
        Map<Ticker, TickerProgress> items = new HashMap<>();
        call("query tickers of " + runId, () -> {
            dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                            .keyConditionExpression("run_id = :r AND begins_with(#i, :p)")
                            .expressionAttributeNames(Map.of("#i", "item"))
                            .expressionAttributeValues(Map.of(":r", s(runId.value()), ":p", s(TICKER_PREFIX))))
                    .items().forEach(item -> {
                        TickerProgress p = toTicker(item);
                        items.put(p.ticker(), p);
                    });
            return null;
        });
        List<TickerProgress> out = new ArrayList<>(run.tickers().size());
        for (Ticker ticker : run.tickers()) {
            out.add(items.getOrDefault(ticker,
                    new TickerProgress(ticker, TickerStatus.PENDING, 0, 0, 0, null, 0, 0, null)));
        }
        return out;
    }

    @Override
    public List<TickerProgress> tickers(RunId runId, List<Ticker> tickers) {
        Map<Ticker, TickerProgress> found = new HashMap<>();
        for (int i = 0; i < tickers.size(); i += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = tickers.subList(i, Math.min(tickers.size(), i + BATCH_GET_LIMIT))
                    .stream().map(t -> key(runId, TICKER_PREFIX + t.value())).toList();
            call("get tickers of " + runId, () -> {
                Map<String, KeysAndAttributes> pending = Map.of(table,
                        KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
                for (int attempt = 0; !pending.isEmpty(); attempt++) {
                    if (attempt > 10) {
                        throw new TransientUpstreamException("DynamoDB kept keys of a batch get unprocessed", null);
                    }
                    if (attempt > 0) {
                        sleep(Math.min(2_000, 50L << attempt));
                    }
                    Map<String, KeysAndAttributes> request = pending;
                    BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(request));
                    response.responses().getOrDefault(table, List.of()).forEach(item -> {
                        TickerProgress p = toTicker(item);
                        found.put(p.ticker(), p);
                    });
                    pending = response.unprocessedKeys();
                }
                return null;
            });
        }
        return tickers.stream().map(t -> found.getOrDefault(t,
                new TickerProgress(t, TickerStatus.PENDING, 0, 0, 0, null, 0, 0, null))).toList();
    }

    @Override
    public Claim claim(RunId runId, Ticker ticker, int epoch, int batch, Instant now) {
        return call("claim " + ticker + " in " + runId, () -> {
            try {
                UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key(runId, TICKER_PREFIX + ticker.value()))
                        .updateExpression(CLAIM_UPDATE)
                        .conditionExpression(CLAIM_CONDITION)
                        .expressionAttributeNames(Map.of("#s", "status", "#b", "batch"))
                        .expressionAttributeValues(claimValues(epoch, batch, now))
                        .returnValues(ReturnValue.ALL_OLD));
                Map<String, AttributeValue> old = r.attributes();
                TickerStatus previous = old == null || !old.containsKey("status") ? TickerStatus.PENDING
                        : TickerStatus.valueOf(old.get("status").s());
                int previousEpoch = old == null || !old.containsKey("epoch") ? 0 : Integer.parseInt(old.get("epoch").n());
                return new Claim(true, previous, previousEpoch);
            } catch (ConditionalCheckFailedException taken) {
                return new Claim(false, null, -1);
            }
        });
    }

    private static Map<String, AttributeValue> claimValues(int epoch, int batch, Instant now) {
        return Map.of(":pending", s(TickerStatus.PENDING.name()), ":e", n(epoch), ":b", n(batch), ":zero", n(0),
                ":one", n(1), ":now", s(now.toString()), ":succeeded", s(TickerStatus.SUCCEEDED.name()));
    }

    /**
     * A transaction cannot return the items it overwrote, which a claim must answer with, so the tickers are read first
     * (BatchGetItem) and each is written under the claim's own condition and the condition that its status and attempt
     * are still what was read; one changed in between (another claimant, a newer attempt) is read and decided again.
     * One ticker alone is one update that returns its old item.
     */
    @Override
    public List<Claim> claim(RunId runId, List<Ticker> tickers, int epoch, int batch, Instant now) {
        if (tickers.size() <= 1) {
            return ProgressStore.super.claim(runId, tickers, epoch, batch, now);
        }
        Map<Ticker, Claim> claims = new HashMap<>();
        List<Ticker> pending = tickers;
        for (int round = 1; !pending.isEmpty(); round++) {
            if (round > TRANSACTION_RETRIES) {
                throw new TransientUpstreamException("DynamoDB table " + table + ": claiming " + pending.size() + " tickers in "
                        + runId + " found them changed after reading them " + TRANSACTION_RETRIES + " times", null);
            }
            Map<Ticker, TickerProgress> read = new HashMap<>();
            tickers(runId, pending).forEach(p -> read.put(p.ticker(), p));
            List<Ticker> open = new ArrayList<>();
            for (Ticker t : pending) {
                TickerProgress was = read.get(t);
                if (was.status() == TickerStatus.SUCCEEDED || was.epoch() > epoch) {
                    claims.put(t, new Claim(false, null, -1));
                } else {
                    open.add(t);
                }
            }
            Map<String, AttributeValue> values = claimValues(epoch, batch, now);
            Transacted sent = transact("claim", runId, open, t -> {
                TickerProgress was = read.get(t);
                Map<String, AttributeValue> asRead = new HashMap<>(values);
                asRead.put(":was", s(was.status().name()));
                asRead.put(":wasEpoch", n(was.epoch()));
                // A ticker with no item, or none of these attributes, reads as PENDING in attempt 0.
                String status = was.status() == TickerStatus.PENDING ? "(attribute_not_exists(#s) OR #s = :was)" : "#s = :was";
                String attempt = was.epoch() == 0 ? "(attribute_not_exists(epoch) OR epoch = :wasEpoch)" : "epoch = :wasEpoch";
                return tickerUpdate(runId, t, CLAIM_UPDATE, CLAIM_CONDITION + " AND " + status + " AND " + attempt,
                        Map.of("#s", "status", "#b", "batch"), asRead);
            });
            sent.written().forEach(t -> claims.put(t, new Claim(true, read.get(t).status(), read.get(t).epoch())));
            pending = sent.refused();
        }
        return tickers.stream().map(claims::get).toList();
    }

    @Override
    public boolean markFetched(RunId runId, Ticker ticker, int epoch, long bars, long quarantined, Instant now) {
        return conditionalUpdate(runId, ticker, FETCHED_UPDATE, FETCHED_CONDITION,
                fetchedValues(epoch, bars, quarantined, now));
    }

    private static Map<String, AttributeValue> fetchedValues(int epoch, long bars, long quarantined, Instant now) {
        return Map.of(":fetched", s(TickerStatus.FETCHED.name()), ":bars", n(bars), ":q", n(quarantined),
                ":now", s(now.toString()), ":e", n(epoch), ":succeeded", s(TickerStatus.SUCCEEDED.name()));
    }

    /** In transactions of 100, each under markFetched's own condition, as {@link #markSucceeded(RunId, List, int, Instant)}. */
    @Override
    public List<Ticker> markFetched(RunId runId, List<Fetched> fetched, int epoch, Instant now) {
        if (fetched.size() <= 1) {
            return ProgressStore.super.markFetched(runId, fetched, epoch, now);
        }
        Map<Ticker, Fetched> byTicker = new HashMap<>();
        fetched.forEach(f -> byTicker.put(f.ticker(), f));
        List<Ticker> tickers = fetched.stream().map(Fetched::ticker).toList();
        return inOrder(tickers, transact("mark FETCHED", runId, tickers, t -> tickerUpdate(runId, t, FETCHED_UPDATE,
                FETCHED_CONDITION, Map.of("#s", "status", "#err", "error"),
                fetchedValues(epoch, byTicker.get(t).bars(), byTicker.get(t).quarantined(), now))).written());
    }

    @Override
    public boolean markSucceeded(RunId runId, Ticker ticker, int epoch, Instant now) {
        return conditionalUpdate(runId, ticker, "SET #s = :succeeded, updated_at = :now REMOVE #err",
                "epoch = :e AND #s IN (:fetched, :succeeded)",
                Map.of(":succeeded", s(TickerStatus.SUCCEEDED.name()), ":fetched", s(TickerStatus.FETCHED.name()),
                        ":now", s(now.toString()), ":e", n(epoch)));
    }

    /** One TransactWriteItems per 100 tickers (its limit), each item under markSucceeded's own condition. */
    @Override
    public List<Ticker> markSucceeded(RunId runId, List<Ticker> tickers, int epoch, Instant now) {
        Map<String, AttributeValue> values = Map.of(":succeeded", s(TickerStatus.SUCCEEDED.name()),
                ":fetched", s(TickerStatus.FETCHED.name()), ":now", s(now.toString()), ":e", n(epoch));
        return inOrder(tickers, transact("mark SUCCEEDED", runId, tickers, t -> tickerUpdate(runId, t,
                "SET #s = :succeeded, updated_at = :now REMOVE #err", "epoch = :e AND #s IN (:fetched, :succeeded)",
                Map.of("#s", "status", "#err", "error"), values)).written());
    }

    private static List<Ticker> inOrder(List<Ticker> tickers, List<Ticker> written) {
        java.util.Set<Ticker> marked = new java.util.HashSet<>(written);
        return tickers.stream().filter(marked::contains).toList();
    }

    /** The tickers whose update was written, and those whose condition failed. */
    private record Transacted(List<Ticker> written, List<Ticker> refused) {
    }

    /**
     * Each ticker's update, in TransactWriteItems of 100 (its limit). A transaction is all or nothing, so when DynamoDB
     * cancels it the items whose condition failed are set aside as refused and the rest are sent again; a cancellation
     * for another reason (a conflict with another transaction on an item) sends them again as they were, a few times,
     * then fails as a transient error for the state machine to retry.
     */
    private Transacted transact(String what, RunId runId, List<Ticker> tickers,
            java.util.function.Function<Ticker, Update> updateOf) {
        List<Ticker> written = new ArrayList<>();
        List<Ticker> refused = new ArrayList<>();
        for (int from = 0; from < tickers.size(); from += TRANSACTION_LIMIT) {
            List<Ticker> pending = tickers.subList(from, Math.min(tickers.size(), from + TRANSACTION_LIMIT));
            for (int conflicts = 0; !pending.isEmpty(); ) {
                List<Ticker> sending = pending;
                List<String> refusals = call(what + " " + sending.size() + " tickers in " + runId, () -> {
                    try {
                        dynamo.transactWriteItems(b -> b.transactItems(sending.stream()
                                .map(t -> TransactWriteItem.builder().update(updateOf.apply(t)).build()).toList()));
                        return List.of();
                    } catch (TransactionCanceledException cancelled) {
                        return cancelled.cancellationReasons().stream().map(r -> r.code() == null ? "None" : r.code()).toList();
                    }
                });
                if (refusals.isEmpty()) {
                    written.addAll(sending);
                    break;
                }
                List<Ticker> next = new ArrayList<>();
                for (int i = 0; i < sending.size(); i++) {
                    (CONDITION_FAILED.equals(refusals.get(i)) ? refused : next).add(sending.get(i));
                }
                if (next.size() == sending.size() && ++conflicts > TRANSACTION_RETRIES) {
                    throw new TransientUpstreamException("DynamoDB table " + table + ": " + what + " " + sending.size()
                            + " tickers in " + runId + " was cancelled " + conflicts + " times: " + refusals, null);
                }
                if (next.size() == sending.size()) {
                    sleep(50L * conflicts);
                }
                pending = next;
            }
        }
        return new Transacted(written, refused);
    }

    private Update tickerUpdate(RunId runId, Ticker ticker, String update, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) {
        return Update.builder().tableName(table).key(key(runId, TICKER_PREFIX + ticker.value())).updateExpression(update)
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    @Override
    public boolean markStopped(RunId runId, Ticker ticker, int epoch, TickerStatus status, String error, Instant now) {
        ProgressStore.requireStopStatus(status);
        return conditionalUpdate(runId, ticker, "SET #s = :status, #err = :error, epoch = :e, updated_at = :now",
                "(attribute_not_exists(epoch) OR epoch <= :e) AND (attribute_not_exists(#s) OR #s <> :succeeded)",
                Map.of(":status", s(status.name()), ":error", s(error == null ? "" : error), ":e", n(epoch),
                        ":now", s(now.toString()), ":succeeded", s(TickerStatus.SUCCEEDED.name())));
    }

    @Override
    public void finishRun(RunId runId, RunStatus status, Map<String, Long> counts, String error, Instant now) {
        Map<String, AttributeValue> countValues = new LinkedHashMap<>();
        counts.forEach((k, v) -> countValues.put(k, n(v)));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.name()),
                ":counts", AttributeValue.builder().m(countValues).build(), ":now", s(now.toString())));
        String update = "SET #s = :status, counts = :counts, finished_at = :now";
        if (error != null) {
            update += ", #err = :error";
            values.put(":error", s(error));
        } else {
            update += " REMOVE #err";
        }
        String expression = update;
        call("finish run " + runId, () -> dynamo.updateItem(b -> b.tableName(table).key(key(runId, RUN_ITEM))
                .updateExpression(expression)
                .conditionExpression("attribute_exists(run_id)")
                .expressionAttributeNames(Map.of("#s", "status", "#err", "error"))
                .expressionAttributeValues(values)));
    }

    @Override
    public void extendRun(RunId runId, String input, List<Ticker> added, List<Ticker> reopened, Map<Ticker, Integer> batchOf,
            Instant now) {
        RunRecord run = run(runId).orElseThrow(() -> new InvalidInputException("run_id", "no run " + runId + " in the progress table"));
        List<Ticker> tickers = new ArrayList<>(run.tickers());
        List<WriteRequest> writes = new ArrayList<>();
        for (Ticker ticker : added) {
            if (tickers.contains(ticker)) {
                continue;
            }
            tickers.add(ticker);
            writes.add(pending(runId, ticker, batchOf, now));
        }
        call("extend run " + runId, () -> {
            writeAll(writes);
            for (Ticker ticker : reopened) {
                dynamo.updateItem(b -> b.tableName(table).key(key(runId, TICKER_PREFIX + ticker.value()))
                        .updateExpression("SET #s = :pending, bars = :zero, quarantined = :zero, #b = :b, updated_at = :now"
                                + " REMOVE #err")
                        .expressionAttributeNames(Map.of("#s", "status", "#b", "batch", "#err", "error"))
                        .expressionAttributeValues(Map.of(":pending", s(TickerStatus.PENDING.name()), ":zero", n(0),
                                ":b", n(batchOf.getOrDefault(ticker, 0)), ":now", s(now.toString()))));
            }
            // The header last: until it lists them, added tickers do not count in the run.
            dynamo.updateItem(b -> b.tableName(table).key(key(runId, RUN_ITEM))
                    .updateExpression("SET #in = :input, ticker_list = :list, tickers = :n")
                    .conditionExpression("attribute_exists(run_id)")
                    .expressionAttributeNames(Map.of("#in", "input"))
                    .expressionAttributeValues(Map.of(":input", s(input), ":n", n(tickers.size()),
                            ":list", s(String.join(",", tickers.stream().map(Ticker::value).toList())))));
            return null;
        });
    }

    @Override
    public Optional<Lease> lease() {
        return call("read the writer lease", () -> {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(LEASE_KEY).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toLease(item));
        });
    }

    @Override
    public Lease acquireLease(RunId runId, Instant now, Duration ttl) {
        return call("take the writer lease for " + runId, () -> {
            Map<String, AttributeValue> values = Map.of(":r", s(runId.value()), ":exp", n(now.plus(ttl).toEpochMilli()));
            try {
                return toLease(dynamo.updateItem(b -> b.tableName(table).key(LEASE_KEY)
                        .updateExpression("SET expires_at = :exp")
                        .conditionExpression("holder = :r")
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)).attributes());
            } catch (ConditionalCheckFailedException notOurs) {
                // Free or lapsed: take it; held by another run: the read below names it.
            }
            try {
                return toLease(dynamo.updateItem(b -> b.tableName(table).key(LEASE_KEY)
                        .updateExpression("SET holder = :r, epoch = :zero, acquired_at = :now, expires_at = :exp")
                        .conditionExpression("attribute_not_exists(holder) OR expires_at <= :nowMillis")
                        .expressionAttributeValues(Map.of(":r", s(runId.value()), ":zero", n(0), ":now", s(now.toString()),
                                ":exp", n(now.plus(ttl).toEpochMilli()), ":nowMillis", n(now.toEpochMilli())))
                        .returnValues(ReturnValue.ALL_NEW)).attributes());
            } catch (ConditionalCheckFailedException held) {
                return lease().orElseThrow(() -> new TransientUpstreamException("the writer lease changed while it was"
                        + " being taken; try again", null));
            }
        });
    }

    @Override
    public boolean renewLease(RunId runId, int epoch, Instant now, Duration ttl) {
        return call("renew the writer lease of " + runId, () -> {
            try {
                dynamo.updateItem(b -> b.tableName(table).key(LEASE_KEY)
                        .updateExpression("SET epoch = :e, expires_at = :exp")
                        .conditionExpression("holder = :r AND epoch <= :e")
                        .expressionAttributeValues(Map.of(":r", s(runId.value()), ":e", n(epoch),
                                ":exp", n(now.plus(ttl).toEpochMilli()))));
                return true;
            } catch (ConditionalCheckFailedException lost) {
                return false;
            }
        });
    }

    @Override
    public void releaseLease(RunId runId) {
        call("release the writer lease of " + runId, () -> {
            try {
                dynamo.deleteItem(b -> b.tableName(table).key(LEASE_KEY).conditionExpression("holder = :r")
                        .expressionAttributeValues(Map.of(":r", s(runId.value()))));
            } catch (ConditionalCheckFailedException notHeld) {
                // Another run holds it, or nobody: nothing of ours to give up.
            }
            return null;
        });
    }

    private static Lease toLease(Map<String, AttributeValue> item) {
        return new Lease(new RunId(item.get("holder").s()), Integer.parseInt(item.get("epoch").n()),
                Instant.parse(item.get("acquired_at").s()), Instant.ofEpochMilli(Long.parseLong(item.get("expires_at").n())));
    }

    private boolean conditionalUpdate(RunId runId, Ticker ticker, String update, String condition,
            Map<String, AttributeValue> values) {
        return call("update " + ticker + " in " + runId, () -> {
            try {
                dynamo.updateItem(b -> b.tableName(table).key(key(runId, TICKER_PREFIX + ticker.value()))
                        .updateExpression(update)
                        .conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#s", "status", "#err", "error"))
                        .expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException refused) {
                return false;
            }
        });
    }

    private static RunRecord toRun(RunId runId, Map<String, AttributeValue> item) {
        String list = item.get("ticker_list").s();
        List<Ticker> tickers = list.isEmpty() ? List.of() : Arrays.stream(list.split(",")).map(Ticker::of).toList();
        Map<String, Long> counts = new LinkedHashMap<>();
        if (item.containsKey("counts")) {
            item.get("counts").m().forEach((k, v) -> counts.put(k, Long.parseLong(v.n())));
        }
        return new RunRecord(runId, item.get("input").s(), tickers, RunStatus.valueOf(item.get("status").s()),
                Integer.parseInt(item.get("epoch").n()), Instant.parse(item.get("started_at").s()),
                item.containsKey("finished_at") ? Instant.parse(item.get("finished_at").s()) : null, counts,
                item.containsKey("error") ? item.get("error").s() : null,
                item.containsKey("execution") ? item.get("execution").s() : null);
    }

    private static TickerProgress toTicker(Map<String, AttributeValue> item) {
        Ticker ticker = Ticker.of(item.get("item").s().substring(TICKER_PREFIX.length()));
        return new TickerProgress(ticker, TickerStatus.valueOf(item.get("status").s()), number(item, "attempts"),
                number(item, "bars"), number(item, "quarantined"),
                item.containsKey("error") ? item.get("error").s() : null, number(item, "batch"), number(item, "epoch"),
                item.containsKey("updated_at") ? Instant.parse(item.get("updated_at").s()) : null);
    }

    private static int number(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Integer.parseInt(item.get(name).n()) : 0;
    }

    private static Map<String, AttributeValue> key(RunId runId, String item) {
        return Map.of("run_id", s(runId.value()), "item", s(item));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    private <T> T call(String what, Supplier<T> action) {
        return DynamoDbCalls.call("DynamoDB table " + table + ": " + what, action);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a DynamoDB batch write", e);
        }
    }
}
