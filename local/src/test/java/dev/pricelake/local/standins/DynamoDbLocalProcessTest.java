package dev.pricelake.local.standins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.almworks.sqlite4java.SQLite;
import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteException;
import com.almworks.sqlite4java.SQLiteStatement;
import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB Local's SQLite file in write-ahead-log mode, told by SQLite's own file format (bytes 18 and 19 of the
 * header: 1 for a rollback journal, 2 for a write-ahead log) and by SQLite itself, with the items kept across restarts.
 */
class DynamoDbLocalProcessTest {
    private static final String TABLE = "wal-mode";
    private static final Map<String, AttributeValue> KEY = Map.of("run_id", AttributeValue.fromS("run-1"),
            "item", AttributeValue.fromS("RUN"));
    @TempDir
    Path root;

    @Test
    void aNewDataDirIsKeptInWriteAheadLogModeAndItsItemsStay() throws IOException {
        Path dir = root.resolve("dynamodb");
        try (DynamoDbLocalProcess dynamo = DynamoDbLocalProcess.start(dir, root.resolve("logs/dynamodb.log"))) {
            putItem(dynamo);
            assertEquals(2, fileFormatVersions(dir));
            assertTrue(Files.exists(dir.resolve(DynamoDbLocalProcess.SHARED_DATABASE + "-wal")), "the log beside the database");
        }
        try (DynamoDbLocalProcess dynamo = DynamoDbLocalProcess.start(dir, root.resolve("logs/dynamodb.log"))) {
            assertEquals("kept", storedValue(dynamo));
        }
    }

    @Test
    void aDataDirWithARollbackJournalIsConvertedWithItsItems() throws Exception {
        Path dir = root.resolve("dynamodb");
        try (DynamoDbLocalProcess dynamo = DynamoDbLocalProcess.start(dir, root.resolve("logs/dynamodb.log"))) {
            putItem(dynamo);
        }
        // As an older pricelake left it: SQLite's default journal, which DynamoDB Local never changes.
        assertEquals("delete", journalMode(dir, "DELETE"));
        assertEquals(1, fileFormatVersions(dir));
        try (DynamoDbLocalProcess dynamo = DynamoDbLocalProcess.start(dir, root.resolve("logs/dynamodb.log"))) {
            assertEquals("kept", storedValue(dynamo));
            assertEquals(2, fileFormatVersions(dir));
        }
    }

    private static void putItem(DynamoDbLocalProcess dynamo) {
        try (DynamoDbClient client = DynamoDbProgressStore.endpointClient(dynamo.endpoint())) {
            new DynamoDbProgressStore(client, TABLE).createTableIfMissing();
            Map<String, AttributeValue> item = new java.util.HashMap<>(KEY);
            item.put("value", AttributeValue.fromS("kept"));
            client.putItem(b -> b.tableName(TABLE).item(item));
        }
    }

    private static String storedValue(DynamoDbLocalProcess dynamo) {
        try (DynamoDbClient client = DynamoDbProgressStore.endpointClient(dynamo.endpoint())) {
            return client.getItem(b -> b.tableName(TABLE).key(KEY).consistentRead(true)).item().get("value").s();
        }
    }

    /** Bytes 18 and 19 of the database's header, which SQLite sets alike. */
    private static int fileFormatVersions(Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(DynamoDbLocalProcess.SHARED_DATABASE))) {
            byte[] header = in.readNBytes(20);
            assertEquals(header[18], header[19], "write and read versions");
            return header[18];
        }
    }

    /** Sets the journal mode with SQLite (DynamoDB Local's own sqlite4java) and answers the mode it reports. */
    private static String journalMode(Path dir, String mode) throws SQLiteException {
        SQLite.setLibraryPath(StandIns.path("dynamodb").toAbsolutePath().toString());
        SQLiteConnection connection = new SQLiteConnection(dir.resolve(DynamoDbLocalProcess.SHARED_DATABASE).toFile());
        try {
            connection.open(false);
            SQLiteStatement pragma = connection.prepare("PRAGMA journal_mode=" + mode);
            try {
                pragma.step();
                return pragma.columnString(0);
            } finally {
                pragma.dispose();
            }
        } finally {
            connection.dispose();
        }
    }
}
