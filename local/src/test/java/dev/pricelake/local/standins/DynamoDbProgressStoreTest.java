package dev.pricelake.local.standins;

import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.ProgressStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB adapter against DynamoDB Local: the conditions really run in the table. */
class DynamoDbProgressStoreTest extends ProgressStoreContract {
    @TempDir
    static Path root;
    private static DynamoDbLocalProcess dynamo;
    private static DynamoDbClient client;
    private static DynamoDbProgressStore store;

    @BeforeAll
    static void startDynamo() {
        dynamo = DynamoDbLocalProcess.start(root.resolve("dynamodb"), root.resolve("logs/dynamodb.log"));
        client = DynamoDbProgressStore.endpointClient(dynamo.endpoint());
        store = new DynamoDbProgressStore(client, "progress-contract");
        store.createTableIfMissing();
        store.createTableIfMissing();
    }

    @AfterAll
    static void stopDynamo() {
        client.close();
        dynamo.close();
    }

    @Override
    protected ProgressStore store() {
        return store;
    }
}
