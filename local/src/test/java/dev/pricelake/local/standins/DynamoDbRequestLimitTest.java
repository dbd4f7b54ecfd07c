package dev.pricelake.local.standins;

import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import dev.pricelake.adapters.dynamodb.DynamoDbRequestLimit;
import dev.pricelake.core.limit.RequestLimit;
import dev.pricelake.core.limit.RequestLimitContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The shared request limit on DynamoDB Local, in the progress table as in AWS: two limits with clients of their
 * own stand for two containers, so the conditional writes really decide who books which slot.
 */
class DynamoDbRequestLimitTest extends RequestLimitContract {
    private static final String TABLE = "limit-contract";
    @TempDir
    static Path root;
    private static DynamoDbLocalProcess dynamo;
    private static DynamoDbClient oneContainer;
    private static DynamoDbClient anotherContainer;

    @BeforeAll
    static void startDynamo() {
        dynamo = DynamoDbLocalProcess.start(root.resolve("dynamodb"), root.resolve("logs/dynamodb.log"));
        oneContainer = DynamoDbProgressStore.endpointClient(dynamo.endpoint());
        anotherContainer = DynamoDbProgressStore.endpointClient(dynamo.endpoint());
        new DynamoDbProgressStore(oneContainer, TABLE).createTableIfMissing();
    }

    @AfterAll
    static void stopDynamo() {
        oneContainer.close();
        anotherContainer.close();
        dynamo.close();
    }

    @Override
    protected RequestLimit limit() {
        return new DynamoDbRequestLimit(oneContainer, TABLE);
    }

    @Override
    protected RequestLimit fromAnotherProcess() {
        return new DynamoDbRequestLimit(anotherContainer, TABLE);
    }
}
