package dev.pricelake.local.standins;

import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteException;
import com.almworks.sqlite4java.SQLiteStatement;
import java.io.File;
import java.util.Arrays;

/**
 * DynamoDB Local's main with its SQLite file in write-ahead-log mode. DynamoDB Local leaves SQLite's rollback journal,
 * which creates, syncs and deletes a journal file and syncs the database on every commit; a write-ahead log syncs one
 * file once a commit, as durably. Measured on this project's build machine: a commit cost 1.45 ms (0.57 ms of CPU)
 * with the journal, 0.29 ms (0.12) with the log, and SelectTickers' 10,000 new ticker items took 15-18 s instead of 31
 * (README, Backfill, resume and status). The mode is kept in the file itself, so this converts a data dir once, an older
 * one too, and finds it done after that.
 * <p>
 * It runs in DynamoDB Local's JVM, started by {@link ParentWatchdog} once that holds the data dir's lock, so no other
 * DynamoDB Local has the file open; sqlite4java and its native library are DynamoDB Local's own.
 * <p>
 * Arguments: the SQLite file, DynamoDB Local's main class, then that class's arguments.
 */
public final class WalDynamoDbLocal {
    private static final String DYNAMODB_LOCAL_SQLITE_LOADER =
            "software.amazon.dynamodb.services.local.shared.access.sqlite.SQLiteLibraryLoader";

    private WalDynamoDbLocal() {
    }

    public static void main(String[] args) throws Exception {
        // DynamoDB Local loads a native SQLite of its own (extracted from its jar); sqlite4java left to itself would
        // load the one on its library path first, and the two, mixed in one JVM, crash it. So its loader goes first.
        Class.forName(DYNAMODB_LOCAL_SQLITE_LOADER).getMethod("initialize").invoke(null);
        File database = new File(args[0]);
        SQLiteConnection connection = new SQLiteConnection(database);
        String mode;
        try {
            connection.open(true);
            SQLiteStatement pragma = connection.prepare("PRAGMA journal_mode=WAL");
            try {
                pragma.step();
                mode = pragma.columnString(0);
            } finally {
                pragma.dispose();
            }
        } catch (SQLiteException e) {
            mode = e.getMessage();
        } finally {
            connection.dispose();
        }
        if (!"wal".equals(mode)) {
            throw new IllegalStateException("DynamoDB Local's database " + database + " stayed out of write-ahead-log mode: " + mode);
        }
        ParentWatchdog.runMain(Arrays.copyOfRange(args, 1, args.length));
    }
}
