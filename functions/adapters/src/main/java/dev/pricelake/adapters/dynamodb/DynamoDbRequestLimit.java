package dev.pricelake.adapters.dynamodb;

import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.limit.RequestLimit;
import dev.pricelake.core.limit.RequestSpacing;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link RequestLimit} in the progress table, so every container of every function shares it: one item per key
 * ({@code run_id} = {@code LIMIT#key}, {@code item} = {@code NEXT}) holds the key's next free slot, moved on by
 * a write conditioned on the value read. Two containers racing for one slot: one write wins, the other reads
 * again and books the slot after it.
 */
public final class DynamoDbRequestLimit implements RequestLimit {
    static final String KEY_PREFIX = "LIMIT#";
    static final String ITEM = "NEXT";
    /** Contention is between a few containers; many more lost races than that means something else is wrong. */
    private static final int MAX_ATTEMPTS = 50;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbRequestLimit(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Instant reserve(String key, RequestSpacing spacing, Clock clock) {
        Map<String, AttributeValue> itemKey = Map.of("run_id", AttributeValue.fromS(KEY_PREFIX + key),
                "item", AttributeValue.fromS(ITEM));
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = call(key, () -> dynamo.getItem(b -> b.tableName(table).key(itemKey)
                    .consistentRead(true)).item());
            AttributeValue seen = item == null ? null : item.get("next_slot");
            Instant slot = spacing.slot(seen == null ? null : Instant.ofEpochMilli(Long.parseLong(seen.n())), clock.instant());
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":next", AttributeValue.fromN(Long.toString(spacing.nextAfter(slot).toEpochMilli())));
            String condition = "attribute_not_exists(next_slot)";
            if (seen != null) {
                values.put(":seen", seen);
                condition = "next_slot = :seen";
            }
            String expectation = condition;
            boolean booked = call(key, () -> {
                try {
                    dynamo.updateItem(b -> b.tableName(table).key(itemKey)
                            .updateExpression("SET next_slot = :next")
                            .conditionExpression(expectation)
                            .expressionAttributeValues(values));
                    return true;
                } catch (ConditionalCheckFailedException anotherContainerWasFirst) {
                    return false;
                }
            });
            if (booked) {
                return slot;
            }
            pause(attempt);
        }
        throw new TransientUpstreamException("DynamoDB table " + table + ": the request limit " + key + " stayed contended for "
                + MAX_ATTEMPTS + " attempts", null);
    }

    private <T> T call(String key, Supplier<T> action) {
        return DynamoDbCalls.call("DynamoDB table " + table + ": request limit " + key, action);
    }

    /** A little jitter, so two containers that just collided do not collide again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while booking a request slot", e);
        }
    }
}
